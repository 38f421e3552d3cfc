#include "polled_socket.h"

#include "errno_value.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

void lvsd_batch_push(napi_env env, napi_value batch, uint32_t *n, napi_value item) {
  if (item != NULL && napi_set_element(env, batch, *n, item) == napi_ok) (*n)++;
}

static void on_handle_closed(uv_handle_t *h) {
  lvsd_polled *p = h->data;
  p->handle_closed = 1;
  if (p->finalized) p->free_self(p);
}

static void cleanup_hook(void *arg);

void lvsd_polled_release(lvsd_polled *p) {
  if (p->closed) return;
  p->closed = 1;
  napi_remove_env_cleanup_hook(p->env, cleanup_hook, p);
  uv_close((uv_handle_t *)&p->poll, on_handle_closed);
  close(p->fd);
  p->fd = -1;
  napi_delete_reference(p->env, p->on_recv);
  napi_delete_reference(p->env, p->resource);
  napi_async_destroy(p->env, p->async);
}

static void cleanup_hook(void *arg) { lvsd_polled_release(arg); }

static void finalize(napi_env env, void *data, void *hint) {
  lvsd_polled *p = data;
  (void)env;
  (void)hint;
  p->finalized = 1;
  lvsd_polled_release(p);
  if (p->handle_closed) p->free_self(p);
}

void lvsd_polled_ref(lvsd_polled *p, int on) {
  if (on) {
    uv_ref((uv_handle_t *)&p->poll);
  } else {
    uv_unref((uv_handle_t *)&p->poll);
  }
}

static void deliver(lvsd_polled *p, napi_value batch) {
  napi_env env = p->env;
  napi_value cb, recv, ex;
  if (napi_get_reference_value(env, p->on_recv, &cb) != napi_ok) return;
  if (napi_get_reference_value(env, p->resource, &recv) != napi_ok) return;
  if (napi_make_callback(env, p->async, recv, cb, 1, &batch, NULL) == napi_pending_exception &&
      napi_get_and_clear_last_exception(env, &ex) == napi_ok) {
    napi_fatal_exception(env, ex); /* process 'uncaughtException', as for any JS callback */
  }
}

static void on_poll(uv_poll_t *h, int status, int events) {
  lvsd_polled *p = h->data;
  napi_env env = p->env;
  napi_handle_scope scope;
  napi_value batch;
  uint32_t n = 0;
  int restart = 0;
  (void)events;
  if (p->closed || napi_open_handle_scope(env, &scope) != napi_ok) return;
  if (napi_create_array(env, &batch) == napi_ok) {
    if (status < 0) {
      /* POLLERR: libuv has stopped watching. Read and clear the socket error (ENOBUFS on a netlink overrun). */
      int soerr = 0;
      socklen_t len = sizeof soerr;
      if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) {
        soerr = errno;
      } else {
        restart = 1;
      }
      lvsd_batch_push(env, batch, &n, lvsd_errno_value(env, soerr != 0 ? soerr : EIO, "recvmsg"));
    }
    n = p->drain(p, batch, n);
    if (n > 0) deliver(p, batch);
  }
  napi_close_handle_scope(env, scope);
  if (restart && !p->closed) uv_poll_start(&p->poll, UV_READABLE, on_poll);
}

napi_value lvsd_polled_start(napi_env env, lvsd_polled *p, napi_value on_recv, const char *resource_name,
                             const napi_type_tag *tag) {
  napi_value ext, resource, name;
  uv_loop_t *loop;
  int r;
  p->env = env;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    close(p->fd);
    p->free_self(p);
    return lvsd_throw_arg(env, "no event loop");
  }
  r = uv_poll_init(loop, &p->poll, p->fd); /* also makes the fd non-blocking */
  if (r < 0) {
    close(p->fd);
    p->free_self(p);
    return lvsd_throw_errno(env, -r, "uv_poll_init");
  }
  p->poll.data = p;
  if (napi_create_object(env, &resource) != napi_ok ||
      napi_create_string_utf8(env, resource_name, NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_reference(env, on_recv, 1, &p->on_recv) != napi_ok ||
      napi_create_reference(env, resource, 1, &p->resource) != napi_ok ||
      napi_async_init(env, resource, name, &p->async) != napi_ok ||
      napi_create_external(env, p, finalize, NULL, &ext) != napi_ok) {
    /* Only the JS engine running out of memory gets here; the handle is closed and leaked. */
    p->closed = 1;
    uv_close((uv_handle_t *)&p->poll, NULL);
    close(p->fd);
    return NULL;
  }
  napi_type_tag_object(env, ext, tag);
  napi_add_env_cleanup_hook(env, cleanup_hook, p);
  uv_poll_start(&p->poll, UV_READABLE, on_poll);
  return ext;
}

lvsd_polled *lvsd_polled_from(napi_env env, napi_value handle, const napi_type_tag *tag, const char *expected,
                              int allow_closed) {
  bool tagged = false;
  void *data = NULL;
  if (napi_check_object_type_tag(env, handle, tag, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, handle, &data) != napi_ok) {
    lvsd_throw_arg(env, expected);
    return NULL;
  }
  if (!allow_closed && ((lvsd_polled *)data)->closed) {
    lvsd_throw_errno(env, EBADF, "socket already closed");
    return NULL;
  }
  return data;
}
