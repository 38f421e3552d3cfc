/* Creating a netlink socket, optionally in another network namespace, and setting its options. */
#include "netlink_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10 /* acks carry only the request's header, not its payload (Linux 4.3) */
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11 /* errors carry the kernel's message text (Linux 4.12) */
#endif

/* The socket for `protocol`, created in the network namespace at `netns` when given (setns on this thread
 * only, and back: a netlink socket stays bound to the namespace it was created in). */
int nl_socket_in(int protocol, const char *netns, const char **failed) {
  int home, target, fd, err;
  if (netns == NULL) {
    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
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
  fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
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

void nl_configure(int fd, int64_t rcvbuf) {
  int one = 1;
  /* Best effort: older kernels lack these, and the engine copes without them. */
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  if (rcvbuf > 0) {
    int size = rcvbuf > INT_MAX / 2 ? INT_MAX / 2 : (int)rcvbuf;
    /* FORCE passes net.core.rmem_max with CAP_NET_ADMIN; without it the capped size is still better. */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
}
