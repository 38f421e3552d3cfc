/*
 * The VRRP receive path. What the protocol must check needs more than the payload (RFC 5798 §7.1: "MUST verify
 * that the IPv4 TTL or IPv6 Hop Limit is 255", and the source and destination addresses), so each packet goes
 * to JS as {bytes, src, dst, ttl, ifindex}:
 *   IPv4: a raw socket hands up the IP header (raw(7)); TTL, source and destination are read from it, the
 *         interface from IP_PKTINFO.
 *   IPv6: a raw socket never hands up the IPv6 header (ipv6 raw(7)); the hop limit comes from IPV6_HOPLIMIT,
 *         destination and interface from IPV6_PKTINFO (RFC 3542 §6), the source from the sender's address.
 * bytes is the VRRP message alone, copied. A packet too short for its IPv4 header is an EBADMSG value.
 */
#include "errno_value.h"
#include "vrrp_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#define RX_BATCH 64

static napi_value text(napi_env env, int family, const void *addr) {
  char buf[INET6_ADDRSTRLEN];
  napi_value v;
  if (inet_ntop(family, addr, buf, sizeof buf) == NULL) buf[0] = '\0';
  return napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &v) == napi_ok ? v : NULL;
}

static napi_value packet(napi_env env, const unsigned char *bytes, size_t len, napi_value src, napi_value dst,
                         int ttl, int ifindex) {
  napi_value out, buf, num, idx;
  void *unused;
  if (napi_create_object(env, &out) != napi_ok ||
      napi_create_buffer_copy(env, len, bytes, &unused, &buf) != napi_ok ||
      napi_create_int32(env, ttl, &num) != napi_ok || napi_create_int32(env, ifindex, &idx) != napi_ok)
    return NULL;
  napi_set_named_property(env, out, "bytes", buf);
  napi_set_named_property(env, out, "src", src);
  napi_set_named_property(env, out, "dst", dst);
  napi_set_named_property(env, out, "ttl", num);
  napi_set_named_property(env, out, "ifindex", idx);
  return out;
}

static napi_value from_v4(vrrp_socket *s, size_t len, struct msghdr *msg) {
  napi_env env = s->base.env;
  const unsigned char *ip = s->rx;
  size_t ihl, total;
  int ifindex = s->ifindex;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof pi);
      ifindex = pi.ipi_ifindex;
    }
  }
  if (len < 20 || (ip[0] >> 4) != 4 || (ihl = (size_t)(ip[0] & 0x0f) * 4) < 20 || ihl > len)
    return lvsd_errno_value(env, EBADMSG, "recvmsg: IPv4 packet shorter than its header");
  total = ((size_t)ip[2] << 8) | ip[3];
  if (total > len || total < ihl) total = len; /* the kernel has checked it; never read past what came */
  return packet(env, ip + ihl, total - ihl, text(env, AF_INET, ip + 12), text(env, AF_INET, ip + 16), ip[8], ifindex);
}

static napi_value from_v6(vrrp_socket *s, size_t len, struct msghdr *msg, const struct sockaddr_in6 *from) {
  napi_env env = s->base.env;
  struct in6_addr dst;
  int hops = -1, ifindex = s->ifindex;
  memset(&dst, 0, sizeof dst);
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != IPPROTO_IPV6) continue;
    if (c->cmsg_type == IPV6_HOPLIMIT) {
      memcpy(&hops, CMSG_DATA(c), sizeof hops);
    } else if (c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof pi);
      dst = pi.ipi6_addr;
      ifindex = (int)pi.ipi6_ifindex;
    }
  }
  return packet(env, s->rx, len, text(env, AF_INET6, &from->sin6_addr), text(env, AF_INET6, &dst), hops, ifindex);
}

uint32_t vrrp_drain(lvsd_polled *p, napi_value batch, uint32_t n) {
  vrrp_socket *s = (vrrp_socket *)p;
  napi_env env = p->env;
  for (int i = 0; i < RX_BATCH; i++) {
    struct sockaddr_storage from;
    union {
      struct cmsghdr align;
      char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) + 64];
    } control;
    struct iovec iov = {s->rx, VRRP_RX_BYTES};
    struct msghdr msg;
    ssize_t got;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    got = recvmsg(p->fd, &msg, MSG_DONTWAIT);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) lvsd_batch_push(env, batch, &n, lvsd_errno_value(env, errno, "recvmsg"));
      break;
    }
    if (msg.msg_flags & MSG_TRUNC) {
      lvsd_batch_push(env, batch, &n, lvsd_errno_value(env, EMSGSIZE, "recvmsg"));
      continue;
    }
    lvsd_batch_push(env, batch, &n,
                    s->family == AF_INET ? from_v4(s, (size_t)got, &msg)
                                         : from_v6(s, (size_t)got, &msg, (const struct sockaddr_in6 *)&from));
  }
  return n;
}
