/*
 * Netlink sockets for JS that can never take the process down.
 *
 * Why our own: the `netlink` npm package aborts the process on a receive overrun. The kernel marks the socket
 * with ENOBUFS (net/netlink/af_netlink.c netlink_overrun), epoll reports POLLERR, libuv stops the watcher and
 * calls back with UV_EBADF (deps/uv src/unix/poll.c uv__poll_io), and the package then throws inside native
 * code. Here every failure is a value: an overrun arrives as an error item in the receive batch, the watcher is
 * restarted, and the socket stays usable. A JS exception thrown by the receive callback goes to
 * process 'uncaughtException' like any other callback's would (napi_fatal_exception), never to abort().
 *
 * JS API (registered on the module exports):
 *   netlinkOpen(protocol, groups, rcvbufBytes, netnsPath | null, onRecv) -> handle
 *       onRecv(batch): batch is an array, in arrival order, of Buffers (one datagram each, copied) and
 *       error values ({code: 'ENOBUFS', errno: 105, syscall: 'recvmsg'}).
 *   netlinkSend(handle, Uint8Array) -> bytes sent (throws an error value on failure)
 *   netlinkJoin(handle, group)      NETLINK_ADD_MEMBERSHIP, for groups beyond the 32 of the bind mask
 *   netlinkRef(handle, bool)        whether the socket keeps the event loop alive
 *   netlinkInfo(handle) -> {portId, rcvbufBytes}
 *   netlinkClose(handle)            idempotent
 */
#include "addon.h"
#include "errno_value.h"
#include "netlink_socket.h"
#include "netns_socket.h"

#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static const napi_type_tag SOCKET_TAG = {0x6c7673646e6c736bULL, 0x6e65746c696e6b31ULL};

static void free_socket(lvsd_polled *p) {
  nl_socket *s = (nl_socket *)p;
  free(s->rx);
  free(s);
}

static napi_value nl_open(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_valuetype t;
  int32_t protocol;
  uint32_t groups;
  int64_t rcvbuf;
  char netns_buf[PATH_MAX];
  const char *netns = NULL, *failed = "socket";
  struct sockaddr_nl local;
  nl_socket *s;
  int fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5)
    return lvsd_throw_arg(env, "netlinkOpen(protocol, groups, rcvbufBytes, netns, onRecv)");
  if (napi_get_value_int32(env, argv[0], &protocol) != napi_ok || protocol < 0)
    return lvsd_throw_arg(env, "netlinkOpen: protocol must be a netlink protocol number");
  if (napi_get_value_uint32(env, argv[1], &groups) != napi_ok)
    return lvsd_throw_arg(env, "netlinkOpen: groups must be a 32-bit group mask");
  if (napi_get_value_int64(env, argv[2], &rcvbuf) != napi_ok || rcvbuf < 0)
    return lvsd_throw_arg(env, "netlinkOpen: rcvbufBytes must be a non-negative number");
  if (lvsd_netns_arg(env, argv[3], netns_buf, sizeof netns_buf, &netns, "netlinkOpen") < 0) return NULL;
  napi_typeof(env, argv[4], &t);
  if (t != napi_function) return lvsd_throw_arg(env, "netlinkOpen: onRecv must be a function");

  fd = lvsd_socket_in(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol, netns, &failed);
  if (fd < 0) return lvsd_throw_errno(env, -fd, failed);
  nl_configure(fd, rcvbuf);
  memset(&local, 0, sizeof local);
  local.nl_family = AF_NETLINK;
  local.nl_groups = groups; /* nl_pid 0: the kernel picks a unique port id */
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
    int err = errno;
    close(fd);
    return lvsd_throw_errno(env, err, "bind");
  }
  s = calloc(1, sizeof *s);
  if (s != NULL) s->rx = malloc((size_t)NL_RX_INITIAL * NL_RX_SLOTS);
  if (s == NULL || s->rx == NULL) {
    if (s != NULL) free(s);
    close(fd);
    return lvsd_throw_errno(env, ENOMEM, "malloc");
  }
  s->rx_cap = NL_RX_INITIAL;
  s->base.fd = fd;
  s->base.drain = nl_drain;
  s->base.free_self = free_socket;
  return lvsd_polled_start(env, &s->base, argv[4], "lvsd:netlink", &SOCKET_TAG);
}

/* The open socket behind argv[0], or NULL with a JS exception pending. */
static nl_socket *socket_arg(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    lvsd_throw_arg(env, "expected a netlink socket handle from netlinkOpen");
    return NULL;
  }
  return (nl_socket *)lvsd_polled_from(env, argv[0], &SOCKET_TAG, "expected a netlink socket handle from netlinkOpen", 0);
}

static napi_value nl_send(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  nl_socket *s = socket_arg(env, info, 2, argv);
  struct sockaddr_nl kernel;
  void *data;
  size_t len;
  ssize_t r;
  bool typed;
  if (s == NULL) return NULL;
  if (napi_is_typedarray(env, argv[1], &typed) != napi_ok || !typed)
    return lvsd_throw_arg(env, "netlinkSend: data must be a Uint8Array");
  if (napi_get_typedarray_info(env, argv[1], NULL, &len, &data, NULL, NULL) != napi_ok)
    return lvsd_throw_arg(env, "netlinkSend: unreadable data");
  memset(&kernel, 0, sizeof kernel);
  kernel.nl_family = AF_NETLINK;
  do {
    r = sendto(s->base.fd, data, len, 0, (struct sockaddr *)&kernel, sizeof kernel);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return lvsd_throw_errno(env, errno, "sendto");
  napi_create_int64(env, (int64_t)r, &out);
  return out;
}

static napi_value nl_join(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  nl_socket *s = socket_arg(env, info, 2, argv);
  uint32_t group;
  if (s == NULL) return NULL;
  if (napi_get_value_uint32(env, argv[1], &group) != napi_ok || group == 0)
    return lvsd_throw_arg(env, "netlinkJoin: group must be a positive group number");
  if (setsockopt(s->base.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
    return lvsd_throw_errno(env, errno, "setsockopt NETLINK_ADD_MEMBERSHIP");
  return NULL;
}

static napi_value nl_ref(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  nl_socket *s = socket_arg(env, info, 2, argv);
  bool on;
  if (s == NULL) return NULL;
  if (napi_get_value_bool(env, argv[1], &on) != napi_ok) return lvsd_throw_arg(env, "netlinkRef: expected a boolean");
  lvsd_polled_ref(&s->base, on);
  return NULL;
}

static napi_value nl_info(napi_env env, napi_callback_info info) {
  napi_value argv[1], out, port, size;
  nl_socket *s = socket_arg(env, info, 1, argv);
  struct sockaddr_nl local;
  socklen_t len = sizeof local;
  int rcvbuf = 0;
  socklen_t rlen = sizeof rcvbuf;
  if (s == NULL) return NULL;
  if (getsockname(s->base.fd, (struct sockaddr *)&local, &len) < 0) return lvsd_throw_errno(env, errno, "getsockname");
  if (getsockopt(s->base.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &rlen) < 0)
    return lvsd_throw_errno(env, errno, "getsockopt SO_RCVBUF");
  napi_create_object(env, &out);
  napi_create_uint32(env, local.nl_pid, &port);
  napi_create_int32(env, rcvbuf, &size);
  napi_set_named_property(env, out, "portId", port);
  napi_set_named_property(env, out, "rcvbufBytes", size);
  return out;
}

static napi_value nl_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  lvsd_polled *p;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1)
    return lvsd_throw_arg(env, "netlinkClose: expected a netlink socket handle");
  p = lvsd_polled_from(env, argv[0], &SOCKET_TAG, "netlinkClose: expected a netlink socket handle", 1);
  if (p != NULL) lvsd_polled_release(p);
  return NULL;
}

napi_status lvsd_register_netlink(napi_env env, napi_value exports) {
  napi_property_descriptor fns[] = {
      {"netlinkOpen", NULL, nl_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"netlinkSend", NULL, nl_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"netlinkJoin", NULL, nl_join, NULL, NULL, NULL, napi_enumerable, NULL},
      {"netlinkRef", NULL, nl_ref, NULL, NULL, NULL, napi_enumerable, NULL},
      {"netlinkInfo", NULL, nl_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"netlinkClose", NULL, nl_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
}
