/*
 * The VRRP transport socket shared by the files of the addon's VRRP part:
 *   vrrp_socket.c  the JS functions: open (options, group membership), send, info, ref, close
 *   vrrp_rx.c      the receive path: each packet's VRRP payload with its source, destination, TTL / hop limit
 *                  and interface
 */
#ifndef LVSD_VRRP_SOCKET_H
#define LVSD_VRRP_SOCKET_H

#include "polled_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>

/* IANA protocol number of VRRP (RFC 5798 §5.1.1.4, §5.1.2.4). */
#define VRRP_IPPROTO 112

/* An IPv4 datagram can be 64 KiB; VRRP packets are far smaller, but a hostile one must not be misread. */
#define VRRP_RX_BYTES 65536

typedef struct vrrp_socket {
  lvsd_polled base; /* first: the polled socket's callbacks get &base and cast back */
  int family;       /* AF_INET or AF_INET6 */
  int ifindex;
  int has_group;
  struct sockaddr_storage group; /* the default destination: the multicast group */
  socklen_t group_len;
  unsigned char *rx;
} vrrp_socket;

/* vrrp_rx.c: the drain function of a VRRP socket (lvsd_drain_fn). */
uint32_t vrrp_drain(lvsd_polled *p, napi_value batch, uint32_t n);

#endif
