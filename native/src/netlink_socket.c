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

static void free_socket(nl_socket *s) {
  free(s->rx);
  free(s);
}

static void on_handle_closed(uv_handle_t *h) {
  nl_socket *s = h->data;
  s->handle_closed = 1;
  if (s->finalized) free_socket(s);
}

static void cleanup_hook(void *arg);

/* Idempotent. uv_close stops the watcher (epoll_ctl DEL) before the fd is closed, as libuv requires. */
static void release(nl_socket *s) {
  if (s->closed) return;
  s->closed = 1;
  napi_remove_env_cleanup_hook(s->env, cleanup_hook, s);
  uv_close((uv_handle_t *)&s->poll, on_handle_closed);
  close(s->fd);
  s->fd = -1;
  napi_delete_reference(s->env, s->on_recv);
  napi_delete_reference(s->env, s->resource);
  napi_async_destroy(s->env, s->async);
}

static void cleanup_hook(void *arg) { release(arg); }

static void finalize(napi_env env, void *data, void *hint) {
  nl_socket *s = data;
  (void)env;
  (void)hint;
  s->finalized = 1;
  release(s);
  if (s->handle_closed) free_socket(s);
}

static napi_value nl_open(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], ext, resource, name;
  napi_valuetype t;
  int32_t protocol;
  uint32_t groups;
  int64_t rcvbuf;
  char netns_buf[PATH_MAX];
  const char *netns = NULL, *failed = "socket";
  struct sockaddr_nl local;
  uv_loop_t *loop;
  nl_socket *s;
  int fd, r;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5)
    return lvsd_throw_arg(env, "netlinkOpen(protocol, groups, rcvbufBytes, netns, onRecv)");
  if (napi_get_value_int32(env, argv[0], &protocol) != napi_ok || protocol < 0)
    return lvsd_throw_arg(env, "netlinkOpen: protocol must be a netlink protocol number");
  if (napi_get_value_uint32(env, argv[1], &groups) != napi_ok)
    return lvsd_throw_arg(env, "netlinkOpen: groups must be a 32-bit group mask");
  if (napi_get_value_int64(env, argv[2], &rcvbuf) != napi_ok || rcvbuf < 0)
    return lvsd_throw_arg(env, "netlinkOpen: rcvbufBytes must be a non-negative number");
  napi_typeof(env, argv[3], &t);
  if (t == napi_string) {
    size_t len;
    if (napi_get_value_string_utf8(env, argv[3], netns_buf, sizeof netns_buf, &len) != napi_ok ||
        len >= sizeof netns_buf - 1)
      return lvsd_throw_arg(env, "netlinkOpen: netns path too long");
    netns = netns_buf;
  } else if (t != napi_null && t != napi_undefined) {
    return lvsd_throw_arg(env, "netlinkOpen: netns must be a path or null");
  }
  napi_typeof(env, argv[4], &t);
  if (t != napi_function) return lvsd_throw_arg(env, "netlinkOpen: onRecv must be a function");
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return lvsd_throw_arg(env, "netlinkOpen: no event loop");

  fd = nl_socket_in(protocol, netns, &failed);
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
  s->env = env;
  s->fd = fd;
  r = uv_poll_init(loop, &s->poll, fd); /* also makes the fd non-blocking */
  if (r < 0) {
    close(fd);
    free_socket(s);
    return lvsd_throw_errno(env, -r, "uv_poll_init");
  }
  s->poll.data = s;
  if (napi_create_object(env, &resource) != napi_ok ||
      napi_create_string_utf8(env, "lvsd:netlink", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_reference(env, argv[4], 1, &s->on_recv) != napi_ok ||
      napi_create_reference(env, resource, 1, &s->resource) != napi_ok ||
      napi_async_init(env, resource, name, &s->async) != napi_ok ||
      napi_create_external(env, s, finalize, NULL, &ext) != napi_ok) {
    /* Only the JS engine running out of memory gets here; the handle is closed and leaked. */
    s->finalized = 0;
    s->closed = 1;
    uv_close((uv_handle_t *)&s->poll, NULL);
    close(fd);
    return NULL;
  }
  napi_type_tag_object(env, ext, &SOCKET_TAG);
  napi_add_env_cleanup_hook(env, cleanup_hook, s);
  uv_poll_start(&s->poll, UV_READABLE, nl_on_poll);
  return ext;
}

/* The open socket behind argv[0], or NULL with a JS exception pending. */
static nl_socket *socket_arg(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  bool tagged = false;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want ||
      napi_check_object_type_tag(env, argv[0], &SOCKET_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, argv[0], &data) != napi_ok) {
    lvsd_throw_arg(env, "expected a netlink socket handle from netlinkOpen");
    return NULL;
  }
  if (((nl_socket *)data)->closed) {
    lvsd_throw_errno(env, EBADF, "netlink socket already closed");
    return NULL;
  }
  return data;
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
    r = sendto(s->fd, data, len, 0, (struct sockaddr *)&kernel, sizeof kernel);
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
  if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0)
    return lvsd_throw_errno(env, errno, "setsockopt NETLINK_ADD_MEMBERSHIP");
  return NULL;
}

static napi_value nl_ref(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  nl_socket *s = socket_arg(env, info, 2, argv);
  bool on;
  if (s == NULL) return NULL;
  if (napi_get_value_bool(env, argv[1], &on) != napi_ok) return lvsd_throw_arg(env, "netlinkRef: expected a boolean");
  if (on) {
    uv_ref((uv_handle_t *)&s->poll);
  } else {
    uv_unref((uv_handle_t *)&s->poll);
  }
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
  if (getsockname(s->fd, (struct sockaddr *)&local, &len) < 0) return lvsd_throw_errno(env, errno, "getsockname");
  if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &rlen) < 0)
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
  bool tagged = false;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_check_object_type_tag(env, argv[0], &SOCKET_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, argv[0], &data) != napi_ok)
    return lvsd_throw_arg(env, "netlinkClose: expected a netlink socket handle");
  release(data);
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
