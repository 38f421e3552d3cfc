/*
 * VRRP transport sockets: IP protocol 112 raw sockets for IPv4 and IPv6, one per interface, as keepalived
 * opens them (keepalived vrrp/vrrp.c open_vrrp_send_socket / open_vrrp_read_socket, lib if_*.c setsockopts):
 *   - SO_BINDTODEVICE: adverts are sent and received on the instance's interface only;
 *   - the multicast group (224.0.0.18 / ff02::12, or vrrp_mcast_group4/6) joined on that interface;
 *   - TTL / hop limit 255 for multicast and unicast alike (RFC 5798 §5.1.1.3 / §5.1.2.3: a receiver drops
 *     anything else, which keeps VRRP on the link);
 *   - multicast loop off: our own adverts must not come back to us as a peer's;
 *   - an optional source address (mcast_src_ip / unicast_src_ip), by bind();
 *   - IPv6: IPV6_CHECKSUM at offset 6, so the kernel fills in the VRRP checksum with the pseudo-header of the
 *     source address it picks and drops received packets whose checksum is wrong (RFC 3542 §3.1; keepalived
 *     if_setsockopt_ipv6_checksum does the same); IPV6_RECVHOPLIMIT and IPV6_RECVPKTINFO for the receive
 *     checks (vrrp_rx.c). IPv4 has no such option: the VRRP codec computes the IPv4 checksum itself.
 *
 * JS API:
 *   vrrpOpen(family 4|6, ifname, group | null, source | null, rcvbufBytes, netnsPath | null, onRecv) -> handle
 *       rcvbufBytes: 0 for the system's default (keepalived kernel_rx_buf_size otherwise)
 *       onRecv(batch): array of {bytes, src, dst, ttl, ifindex} and error values, in arrival order
 *   vrrpSend(handle, Uint8Array, dest | null) -> bytes sent      dest null: the group
 *   vrrpInfo(handle) -> {ifindex, rcvbufBytes}                    rcvbufBytes as the kernel granted it
 *   vrrpRef(handle, bool)
 *   vrrpClose(handle)                                             idempotent
 */
#include "addon.h"
#include "errno_value.h"
#include "netns_socket.h"
#include "vrrp_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const napi_type_tag VRRP_TAG = {0x6c76736476727270ULL, 0x736f636b65743031ULL};
static const char *const HANDLE = "expected a VRRP socket handle from vrrpOpen";

static void free_socket(lvsd_polled *p) {
  vrrp_socket *s = (vrrp_socket *)p;
  free(s->rx);
  free(s);
}

/*
 * An address argument of the socket's family as a sockaddr. IPv6 link-local and multicast-link-local
 * addresses (the VRRP group ff02::12, a peer's fe80::) are scoped to the socket's interface. Returns 0, or -1
 * with a TypeError naming `what`.
 */
static int addr_arg(napi_env env, napi_value v, int family, int ifindex, const char *what,
                    struct sockaddr_storage *out, socklen_t *len) {
  char buf[INET6_ADDRSTRLEN + 1], msg[160];
  size_t got;
  memset(out, 0, sizeof *out);
  if (napi_get_value_string_utf8(env, v, buf, sizeof buf, &got) == napi_ok && got < sizeof buf - 1) {
    if (family == AF_INET) {
      struct sockaddr_in *a = (struct sockaddr_in *)out;
      a->sin_family = AF_INET;
      *len = sizeof *a;
      if (inet_pton(AF_INET, buf, &a->sin_addr) == 1) return 0;
    } else {
      struct sockaddr_in6 *a = (struct sockaddr_in6 *)out;
      a->sin6_family = AF_INET6;
      *len = sizeof *a;
      if (inet_pton(AF_INET6, buf, &a->sin6_addr) == 1) {
        if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) || IN6_IS_ADDR_MC_LINKLOCAL(&a->sin6_addr))
          a->sin6_scope_id = (uint32_t)ifindex;
        return 0;
      }
    }
  }
  snprintf(msg, sizeof msg, "vrrpOpen/vrrpSend: %s must be an IPv%d address", what, family == AF_INET ? 4 : 6);
  lvsd_throw_arg(env, msg);
  return -1;
}

static int set_int(int fd, int level, int name, int value) {
  return setsockopt(fd, level, name, &value, sizeof value);
}

/* The options of the header comment; returns 0 or -errno with *failed naming the option. */
static int configure(vrrp_socket *s, const char *ifname, const char **failed) {
  int fd = s->base.fd;
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0) {
    *failed = "setsockopt SO_BINDTODEVICE";
    return -errno;
  }
  if (s->family == AF_INET) {
    struct ip_mreqn mif;
    memset(&mif, 0, sizeof mif);
    mif.imr_ifindex = s->ifindex;
    if (set_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, 255) < 0 || set_int(fd, IPPROTO_IP, IP_TTL, 255) < 0 ||
        set_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0 || set_int(fd, IPPROTO_IP, IP_PKTINFO, 1) < 0 ||
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mif, sizeof mif) < 0) {
      *failed = "setsockopt IPPROTO_IP (TTL, loop, pktinfo, multicast interface)";
      return -errno;
    }
    if (s->has_group) {
      mif.imr_multiaddr = ((struct sockaddr_in *)&s->group)->sin_addr;
      if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mif, sizeof mif) < 0) {
        *failed = "setsockopt IP_ADD_MEMBERSHIP";
        return -errno;
      }
    }
    return 0;
  }
  if (set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255) < 0 || set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255) < 0 ||
      set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0 || set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, s->ifindex) < 0 ||
      set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0 || set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0 ||
      set_int(fd, IPPROTO_IPV6, IPV6_CHECKSUM, 6) < 0) {
    *failed = "setsockopt IPPROTO_IPV6 (hop limits, loop, multicast interface, recv hop limit / pktinfo, checksum)";
    return -errno;
  }
  if (s->has_group) {
    struct ipv6_mreq m;
    m.ipv6mr_multiaddr = ((struct sockaddr_in6 *)&s->group)->sin6_addr;
    m.ipv6mr_interface = (unsigned)s->ifindex;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m, sizeof m) < 0) {
      *failed = "setsockopt IPV6_JOIN_GROUP";
      return -errno;
    }
  }
  return 0;
}

/* The interface's index in the socket's own namespace (if_nametoindex would ask this thread's). */
static int ifindex_of(int fd, const char *ifname) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, ifname, strlen(ifname)); /* at most IFNAMSIZ - 1 (lvsd_ifname_arg): stays terminated */
  return ioctl(fd, SIOCGIFINDEX, &ifr) < 0 ? -errno : ifr.ifr_ifindex;
}

static napi_value vrrp_open(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_valuetype t;
  int32_t version;
  int64_t rcvbuf;
  char ifname[LVSD_IFNAME_BUF], netns_buf[PATH_MAX];
  const char *netns = NULL, *failed = "socket";
  struct sockaddr_storage source;
  socklen_t source_len = 0;
  vrrp_socket *s;
  int fd, r;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7)
    return lvsd_throw_arg(env, "vrrpOpen(family, ifname, group, source, rcvbufBytes, netns, onRecv)");
  if (napi_get_value_int32(env, argv[0], &version) != napi_ok || (version != 4 && version != 6))
    return lvsd_throw_arg(env, "vrrpOpen: family must be 4 or 6");
  if (lvsd_ifname_arg(env, argv[1], ifname, "vrrpOpen") < 0) return NULL;
  if (napi_get_value_int64(env, argv[4], &rcvbuf) != napi_ok || rcvbuf < 0)
    return lvsd_throw_arg(env, "vrrpOpen: rcvbufBytes must be a non-negative number");
  if (lvsd_netns_arg(env, argv[5], netns_buf, sizeof netns_buf, &netns, "vrrpOpen") < 0) return NULL;
  napi_typeof(env, argv[6], &t);
  if (t != napi_function) return lvsd_throw_arg(env, "vrrpOpen: onRecv must be a function");
  s = calloc(1, sizeof *s);
  if (s != NULL) s->rx = malloc(VRRP_RX_BYTES);
  if (s == NULL || s->rx == NULL) {
    free(s);
    return lvsd_throw_errno(env, ENOMEM, "malloc");
  }
  s->family = version == 4 ? AF_INET : AF_INET6;
  s->base.drain = vrrp_drain;
  s->base.free_self = free_socket;
  fd = lvsd_socket_in(s->family, SOCK_RAW | SOCK_CLOEXEC, VRRP_IPPROTO, netns, &failed);
  if (fd < 0) {
    free_socket(&s->base);
    return lvsd_throw_errno(env, -fd, failed);
  }
  s->base.fd = fd;
  lvsd_set_rcvbuf(fd, rcvbuf);
  r = ifindex_of(fd, ifname);
  if (r < 0) {
    failed = "ioctl SIOCGIFINDEX (no such interface)";
  } else {
    s->ifindex = r;
    napi_typeof(env, argv[2], &t);
    if (t != napi_null && t != napi_undefined) {
      if (addr_arg(env, argv[2], s->family, s->ifindex, "group", &s->group, &s->group_len) < 0) goto fail;
      s->has_group = 1;
    }
    napi_typeof(env, argv[3], &t);
    if (t != napi_null && t != napi_undefined &&
        addr_arg(env, argv[3], s->family, s->ifindex, "source", &source, &source_len) < 0)
      goto fail;
    r = configure(s, ifname, &failed);
    if (r == 0 && source_len > 0 && bind(fd, (struct sockaddr *)&source, source_len) < 0) {
      r = -errno;
      failed = "bind (the source address must be one of this host's)";
    }
  }
  if (r < 0) {
    close(fd);
    free_socket(&s->base);
    return lvsd_throw_errno(env, -r, failed);
  }
  return lvsd_polled_start(env, &s->base, argv[6], "lvsd:vrrp", &VRRP_TAG);
fail:
  close(fd);
  free_socket(&s->base);
  return NULL;
}

static vrrp_socket *socket_arg(napi_env env, napi_callback_info info, size_t want, napi_value *argv, int allow_closed) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    lvsd_throw_arg(env, HANDLE);
    return NULL;
  }
  return (vrrp_socket *)lvsd_polled_from(env, argv[0], &VRRP_TAG, HANDLE, allow_closed);
}

static napi_value vrrp_send(napi_env env, napi_callback_info info) {
  napi_value argv[3], out;
  vrrp_socket *s = socket_arg(env, info, 3, argv, 0);
  struct sockaddr_storage dest;
  socklen_t dest_len;
  napi_valuetype t;
  void *data;
  size_t len;
  ssize_t r;
  bool typed;
  if (s == NULL) return NULL;
  if (napi_is_typedarray(env, argv[1], &typed) != napi_ok || !typed ||
      napi_get_typedarray_info(env, argv[1], NULL, &len, &data, NULL, NULL) != napi_ok)
    return lvsd_throw_arg(env, "vrrpSend: data must be a Uint8Array");
  napi_typeof(env, argv[2], &t);
  if (t == napi_null || t == napi_undefined) {
    if (!s->has_group) return lvsd_throw_arg(env, "vrrpSend: this socket has no group; give a destination");
    dest = s->group;
    dest_len = s->group_len;
  } else if (addr_arg(env, argv[2], s->family, s->ifindex, "dest", &dest, &dest_len) < 0) {
    return NULL;
  }
  do {
    r = sendto(s->base.fd, data, len, 0, (struct sockaddr *)&dest, dest_len);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return lvsd_throw_errno(env, errno, "sendto");
  napi_create_int64(env, (int64_t)r, &out);
  return out;
}

static napi_value vrrp_info(napi_env env, napi_callback_info info) {
  napi_value argv[1], out, idx, size;
  vrrp_socket *s = socket_arg(env, info, 1, argv, 0);
  int rcvbuf = 0;
  socklen_t len = sizeof rcvbuf;
  if (s == NULL) return NULL;
  if (getsockopt(s->base.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) < 0)
    return lvsd_throw_errno(env, errno, "getsockopt SO_RCVBUF");
  napi_create_object(env, &out);
  napi_create_int32(env, s->ifindex, &idx);
  napi_create_int32(env, rcvbuf, &size);
  napi_set_named_property(env, out, "ifindex", idx);
  napi_set_named_property(env, out, "rcvbufBytes", size);
  return out;
}

static napi_value vrrp_ref(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  vrrp_socket *s = socket_arg(env, info, 2, argv, 0);
  bool on;
  if (s == NULL) return NULL;
  if (napi_get_value_bool(env, argv[1], &on) != napi_ok) return lvsd_throw_arg(env, "vrrpRef: expected a boolean");
  lvsd_polled_ref(&s->base, on);
  return NULL;
}

static napi_value vrrp_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  vrrp_socket *s = socket_arg(env, info, 1, argv, 1);
  if (s != NULL) lvsd_polled_release(&s->base);
  return NULL;
}

napi_status lvsd_register_vrrp(napi_env env, napi_value exports) {
  napi_property_descriptor fns[] = {
      {"vrrpOpen", NULL, vrrp_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"vrrpSend", NULL, vrrp_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"vrrpInfo", NULL, vrrp_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"vrrpRef", NULL, vrrp_ref, NULL, NULL, NULL, napi_enumerable, NULL},
      {"vrrpClose", NULL, vrrp_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
}
