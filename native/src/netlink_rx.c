/*
 * The receive path: on each readable event, read datagrams until EAGAIN or a batch is full and hand JS one
 * array of copied Buffers and error values, in arrival order.
 *
 * On POLLERR libuv stops the watcher and reports UV_EBADF (deps/uv src/unix/poll.c uv__poll_io). For a netlink
 * socket that means the kernel set sk_err, normally ENOBUFS after dropping a message it could not queue
 * (net/netlink/af_netlink.c netlink_overrun). We read and clear the error with SO_ERROR, deliver it as a value,
 * and start the watcher again: the socket stays usable.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* recvmmsg */
#endif
#include "errno_value.h"
#include "netlink_socket.h"

#include <errno.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Datagrams handed to JS per readable event; epoll is level-triggered, so the loop comes back for the rest. */
#define RX_BATCH NL_RX_SLOTS
#define RX_LIMIT (1024 * 1024)

static void push(napi_env env, napi_value batch, uint32_t *n, napi_value item) {
  if (item != NULL && napi_set_element(env, batch, *n, item) == napi_ok) (*n)++;
}

static void deliver(nl_socket *s, napi_value batch) {
  napi_env env = s->env;
  napi_value cb, recv, ex;
  if (napi_get_reference_value(env, s->on_recv, &cb) != napi_ok) return;
  if (napi_get_reference_value(env, s->resource, &recv) != napi_ok) return;
  if (napi_make_callback(env, s->async, recv, cb, 1, &batch, NULL) == napi_pending_exception &&
      napi_get_and_clear_last_exception(env, &ex) == napi_ok) {
    napi_fatal_exception(env, ex); /* process 'uncaughtException', as for any JS callback */
  }
}

/*
 * Reads until EAGAIN or a batch is full; appends datagrams and error values to batch in order. recvmmsg takes
 * up to a batch of datagrams per system call: a table load gets one ack datagram per request, and where
 * system calls are dear (a user-mode Linux guest traps each one through ptrace) one call per ack is the cost.
 * The receive area is RX_BATCH slots of rx_cap bytes; a datagram longer than a slot is reported as EMSGSIZE
 * and the slots grow for the next one.
 */
static uint32_t drain(nl_socket *s, napi_value batch, uint32_t n) {
  napi_env env = s->env;
  struct mmsghdr mm[RX_BATCH];
  struct iovec iov[RX_BATCH];
  struct sockaddr_nl from[RX_BATCH];
  while (n < RX_BATCH) {
    unsigned want = RX_BATCH - n;
    memset(mm, 0, sizeof(mm[0]) * want);
    for (unsigned i = 0; i < want; i++) {
      iov[i].iov_base = s->rx + (size_t)i * s->rx_cap;
      iov[i].iov_len = s->rx_cap;
      mm[i].msg_hdr.msg_name = &from[i];
      mm[i].msg_hdr.msg_namelen = sizeof from[i];
      mm[i].msg_hdr.msg_iov = &iov[i];
      mm[i].msg_hdr.msg_iovlen = 1;
    }
    int got = recvmmsg(s->fd, mm, want, MSG_DONTWAIT | MSG_TRUNC, NULL);
    if (got < 0) {
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      push(env, batch, &n, lvsd_errno_value(env, err, "recvmsg"));
      if (err == ENOBUFS) continue; /* reported once per overrun; the queued datagrams are still there */
      break;
    }
    size_t longest = 0;
    for (int i = 0; i < got; i++) {
      size_t len = mm[i].msg_len;
      if (len > s->rx_cap) {
        /* MSG_TRUNC returned the full length: this datagram is lost, the next one of that size will fit. */
        push(env, batch, &n, lvsd_errno_value(env, EMSGSIZE, "recvmsg"));
        if (len > longest) longest = len;
        continue;
      }
      if (from[i].nl_pid != 0) continue; /* only the kernel talks to us; drop what other processes send */
      napi_value buf;
      void *unused;
      if (napi_create_buffer_copy(env, len, iov[i].iov_base, &unused, &buf) == napi_ok) push(env, batch, &n, buf);
    }
    if (longest > 0) {
      size_t slot = longest < RX_LIMIT ? longest : RX_LIMIT;
      unsigned char *bigger = realloc(s->rx, slot * RX_BATCH);
      if (bigger != NULL) {
        s->rx = bigger;
        s->rx_cap = slot;
      }
    }
    if ((unsigned)got < want) break; /* the queue is empty for now */
  }
  return n;
}

void nl_on_poll(uv_poll_t *h, int status, int events) {
  nl_socket *s = h->data;
  napi_env env = s->env;
  napi_handle_scope scope;
  napi_value batch;
  uint32_t n = 0;
  int restart = 0;
  (void)events;
  if (s->closed || napi_open_handle_scope(env, &scope) != napi_ok) return;
  if (napi_create_array(env, &batch) == napi_ok) {
    if (status < 0) {
      /* POLLERR: libuv has stopped watching. Read and clear the socket error (normally ENOBUFS). */
      int soerr = 0;
      socklen_t len = sizeof soerr;
      if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) {
        soerr = errno;
      } else {
        restart = 1;
      }
      push(env, batch, &n, lvsd_errno_value(env, soerr != 0 ? soerr : EIO, "recvmsg"));
    }
    n = drain(s, batch, n);
    if (n > 0) deliver(s, batch);
  }
  napi_close_handle_scope(env, scope);
  if (restart && !s->closed) uv_poll_start(&s->poll, UV_READABLE, nl_on_poll);
}
