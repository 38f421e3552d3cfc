/* Setting a netlink socket's options (netns_socket.c creates it, in another network namespace when asked). */
#include "netlink_socket.h"

#include <limits.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10 /* acks carry only the request's header, not its payload (Linux 4.3) */
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11 /* errors carry the kernel's message text (Linux 4.12) */
#endif

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
