/* Setting a netlink socket's options (netns_socket.c creates it, in another network namespace when asked). */
#include "netlink_socket.h"
#include "netns_socket.h"

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
  lvsd_set_rcvbuf(fd, rcvbuf);
}
