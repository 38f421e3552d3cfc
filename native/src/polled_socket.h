/*
 * A socket watched by libuv (uv_poll) whose received items are handed to a JS callback in batches, shared by
 * the addon's socket kinds (netlink, VRRP). It owns the lifecycle every such socket needs and that is easy to
 * get wrong: uv_close before close(fd) (libuv requires the watcher stopped first), memory freed only once both
 * libuv and the JS garbage collector have let go, env teardown closing what JS forgot, and a socket error
 * (POLLERR, after which libuv stops the watcher and reports UV_EBADF, deps/uv src/unix/poll.c uv__poll_io)
 * read with SO_ERROR, delivered as a value and the watcher restarted.
 *
 * A kind embeds lvsd_polled as its first member and supplies `drain`, which reads what is queued and appends
 * items to the batch; `free_self` frees the whole struct.
 */
#ifndef LVSD_POLLED_SOCKET_H
#define LVSD_POLLED_SOCKET_H

#include <node_api.h>
#include <stdint.h>
#include <uv.h>

typedef struct lvsd_polled lvsd_polled;

/* Reads until EAGAIN or the batch is full; returns the new item count. */
typedef uint32_t (*lvsd_drain_fn)(lvsd_polled *p, napi_value batch, uint32_t n);

struct lvsd_polled {
  uv_poll_t poll;
  napi_env env;
  napi_ref on_recv;
  napi_ref resource;
  napi_async_context async;
  int fd;
  int closed;        /* close requested: fd released, handle closing */
  int handle_closed; /* uv_close finished: memory may go once JS has let go too */
  int finalized;     /* the JS handle was garbage-collected */
  lvsd_drain_fn drain;
  void (*free_self)(lvsd_polled *p);
};

/*
 * Starts watching p->fd (drain and free_self already set) and returns the JS handle, tagged with `tag`.
 * On failure the fd is closed, p freed, and NULL returned with a JS exception pending.
 */
napi_value lvsd_polled_start(napi_env env, lvsd_polled *p, napi_value on_recv, const char *resource_name,
                             const napi_type_tag *tag);

/* The socket behind a JS handle; NULL with a JS exception pending when it is not one (TypeError naming
 * `expected`) or, unless allow_closed, when it is closed (EBADF). */
lvsd_polled *lvsd_polled_from(napi_env env, napi_value handle, const napi_type_tag *tag, const char *expected,
                              int allow_closed);

/* Idempotent close: stops the watcher, closes the fd, drops the JS references. */
void lvsd_polled_release(lvsd_polled *p);

/* Whether the socket keeps the event loop alive. */
void lvsd_polled_ref(lvsd_polled *p, int on);

/* Appends item to batch unless it is NULL (the engine could not allocate it). */
void lvsd_batch_push(napi_env env, napi_value batch, uint32_t *n, napi_value item);

#endif
