#include "netns_socket.h"

#include "errno_value.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int lvsd_socket_in(int domain, int type, int protocol, const char *netns, const char **failed) {
  int home, target, fd, err;
  if (netns == NULL) {
    fd = socket(domain, type, protocol);
    *failed = "socket";
    return fd < 0 ? -errno : fd;
  }
  home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) {
    *failed = "open /proc/thread-self/ns/net";
    return -errno;
  }
  target = open(netns, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    err = errno;
    close(home);
    *failed = "open netns";
    return -err;
  }
  if (setns(target, CLONE_NEWNET) < 0) {
    err = errno;
    close(home);
    close(target);
    *failed = "setns";
    return -err;
  }
  fd = socket(domain, type, protocol);
  err = fd < 0 ? errno : 0;
  *failed = "socket";
  if (setns(home, CLONE_NEWNET) < 0) {
    err = errno;
    if (fd >= 0) close(fd);
    fd = -1;
    *failed = "setns back to the thread's own namespace";
  }
  close(home);
  close(target);
  return fd < 0 ? -err : fd;
}

int lvsd_netns_arg(napi_env env, napi_value v, char *buf, size_t size, const char **netns, const char *fn) {
  napi_valuetype t;
  char msg[96];
  *netns = NULL;
  napi_typeof(env, v, &t);
  if (t == napi_null || t == napi_undefined) return 0;
  if (t == napi_string) {
    size_t len;
    if (napi_get_value_string_utf8(env, v, buf, size, &len) == napi_ok && len < size - 1) {
      *netns = buf;
      return 0;
    }
    snprintf(msg, sizeof msg, "%s: netns path too long", fn);
  } else {
    snprintf(msg, sizeof msg, "%s: netns must be a path or null", fn);
  }
  lvsd_throw_arg(env, msg);
  return -1;
}

int lvsd_ifname_arg(napi_env env, napi_value v, char *buf, const char *fn) {
  char msg[96];
  size_t len;
  if (napi_get_value_string_utf8(env, v, buf, LVSD_IFNAME_BUF, &len) == napi_ok && len > 0 && len < LVSD_IFNAME_BUF - 1)
    return 0;
  snprintf(msg, sizeof msg, "%s: ifname must be an interface name of 1 to %d characters", fn, LVSD_IFNAME_BUF - 2);
  lvsd_throw_arg(env, msg);
  return -1;
}

void lvsd_set_rcvbuf(int fd, int64_t bytes) {
  int size;
  if (bytes <= 0) return;
  size = bytes > INT_MAX / 2 ? INT_MAX / 2 : (int)bytes;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}
