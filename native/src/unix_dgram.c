/*
 * unixDgramSend(path, data): one datagram to an AF_UNIX SOCK_DGRAM socket, the transport of systemd's
 * sd_notify protocol (sd_notify(3), "NOTIFY_SOCKET"). Node has no unix datagram sockets, and lvsd takes no
 * libsystemd dependency. A path starting with '@' names an abstract socket (unix(7): sun_path[0] = NUL).
 * The socket is opened and closed per call: notifications are rare (start, reload, stop).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "addon.h"
#include "errno_value.h"

static napi_value dgram_send(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  struct sockaddr_un to;
  char path[sizeof to.sun_path + 1];
  size_t plen = 0, len;
  unsigned char *data;
  bool typed;
  ssize_t r;
  int fd, err;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2 ||
      napi_get_value_string_utf8(env, argv[0], path, sizeof path, &plen) != napi_ok)
    return lvsd_throw_arg(env, "unixDgramSend(path, data): path must be a string");
  if (plen == 0 || plen >= sizeof to.sun_path)
    return lvsd_throw_arg(env, "unixDgramSend: socket path empty or longer than sun_path");
  if (napi_is_typedarray(env, argv[1], &typed) != napi_ok || !typed ||
      napi_get_typedarray_info(env, argv[1], NULL, &len, (void **)&data, NULL, NULL) != napi_ok)
    return lvsd_throw_arg(env, "unixDgramSend: data must be a Uint8Array");
  memset(&to, 0, sizeof to);
  to.sun_family = AF_UNIX;
  memcpy(to.sun_path, path, plen);
  if (path[0] == '@') to.sun_path[0] = '\0';
  fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return lvsd_throw_errno(env, errno, "socket");
  /* An abstract address is exactly as long as its name; a path one ends at its NUL. */
  do {
    r = sendto(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT, (struct sockaddr *)&to,
               (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] == '@' ? 0 : 1)));
  } while (r < 0 && errno == EINTR);
  err = errno;
  close(fd);
  if (r < 0) return lvsd_throw_errno(env, err, "sendto");
  napi_create_int64(env, (int64_t)r, &out);
  return out;
}

napi_status lvsd_register_unix_dgram(napi_env env, napi_value exports) {
  napi_property_descriptor fns[] = {
      {"unixDgramSend", NULL, dgram_send, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
}
