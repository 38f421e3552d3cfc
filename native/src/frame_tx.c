/*
 * Sending whole Ethernet frames on one interface through AF_PACKET (packet(7)): what VRRP needs to announce a
 * takeover — gratuitous ARP and unsolicited neighbour advertisements, built in TypeScript
 * (src/platform/announce-frames.ts) — and the interface's MAC address to build them with.
 *
 * The socket is bound to the interface with protocol 0, so the kernel queues nothing to it: it only sends.
 * Interface index and MAC are asked of the socket itself (SIOCGIFINDEX, SIOCGIFHWADDR), so they are the ones
 * of the namespace the socket lives in.
 *
 * JS API:
 *   frameTxOpen(ifname, netnsPath | null) -> handle
 *   frameTxInfo(handle) -> {ifindex, mac: Buffer(6)}       the MAC read now (it may have changed)
 *   frameTxSend(handle, Uint8Array frame) -> bytes sent    frame: destination MAC, source MAC, ethertype, payload
 *   frameTxClose(handle)                                   idempotent; an unclosed handle closes when collected
 */
#include "addon.h"
#include "errno_value.h"
#include "netns_socket.h"

#include <errno.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETH_HEADER 14

typedef struct frame_tx {
  int fd;
  int ifindex;
  char ifname[LVSD_IFNAME_BUF];
} frame_tx;

static const napi_type_tag FRAME_TAG = {0x6c76736466726d74ULL, 0x7873656e64657231ULL};

static void finalize(napi_env env, void *data, void *hint) {
  frame_tx *f = data;
  (void)env;
  (void)hint;
  if (f->fd >= 0) close(f->fd);
  free(f);
}

static frame_tx *frame_arg(napi_env env, napi_callback_info info, size_t want, napi_value *argv, int allow_closed) {
  size_t argc = want;
  bool tagged = false;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want ||
      napi_check_object_type_tag(env, argv[0], &FRAME_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, argv[0], &data) != napi_ok) {
    lvsd_throw_arg(env, "expected a frame sender handle from frameTxOpen");
    return NULL;
  }
  if (!allow_closed && ((frame_tx *)data)->fd < 0) {
    lvsd_throw_errno(env, EBADF, "frame sender already closed");
    return NULL;
  }
  return data;
}

static int ifreq_of(const frame_tx *f, unsigned long request, struct ifreq *ifr) {
  memset(ifr, 0, sizeof *ifr);
  memcpy(ifr->ifr_name, f->ifname, strlen(f->ifname)); /* at most IFNAMSIZ - 1: stays terminated */
  return ioctl(f->fd, request, ifr) < 0 ? -errno : 0;
}

static napi_value frame_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], ext;
  char netns_buf[PATH_MAX];
  const char *netns = NULL, *failed = "socket";
  struct sockaddr_ll local;
  struct ifreq ifr;
  frame_tx *f;
  int r;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2)
    return lvsd_throw_arg(env, "frameTxOpen(ifname, netns)");
  f = calloc(1, sizeof *f);
  if (f == NULL) return lvsd_throw_errno(env, ENOMEM, "malloc");
  f->fd = -1;
  if (lvsd_ifname_arg(env, argv[0], f->ifname, "frameTxOpen") < 0 ||
      lvsd_netns_arg(env, argv[1], netns_buf, sizeof netns_buf, &netns, "frameTxOpen") < 0) {
    free(f);
    return NULL;
  }
  r = lvsd_socket_in(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0, netns, &failed);
  if (r >= 0) {
    f->fd = r;
    r = ifreq_of(f, SIOCGIFINDEX, &ifr);
    failed = "ioctl SIOCGIFINDEX (no such interface)";
  }
  if (r >= 0) {
    f->ifindex = ifr.ifr_ifindex;
    memset(&local, 0, sizeof local);
    local.sll_family = AF_PACKET;
    local.sll_ifindex = f->ifindex; /* protocol 0: receive nothing */
    r = bind(f->fd, (struct sockaddr *)&local, sizeof local) < 0 ? -errno : 0;
    failed = "bind";
  }
  if (r < 0 || napi_create_external(env, f, finalize, NULL, &ext) != napi_ok) {
    if (f->fd >= 0) close(f->fd);
    free(f);
    return r < 0 ? lvsd_throw_errno(env, -r, failed) : NULL;
  }
  napi_type_tag_object(env, ext, &FRAME_TAG);
  return ext;
}

static napi_value frame_info(napi_env env, napi_callback_info info) {
  napi_value argv[1], out, idx, mac;
  frame_tx *f = frame_arg(env, info, 1, argv, 0);
  struct ifreq ifr;
  void *unused;
  int r;
  if (f == NULL) return NULL;
  r = ifreq_of(f, SIOCGIFHWADDR, &ifr);
  if (r < 0) return lvsd_throw_errno(env, -r, "ioctl SIOCGIFHWADDR");
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) return lvsd_throw_errno(env, EAFNOSUPPORT, "frameTxInfo: not an Ethernet interface");
  napi_create_object(env, &out);
  napi_create_int32(env, f->ifindex, &idx);
  napi_create_buffer_copy(env, 6, ifr.ifr_hwaddr.sa_data, &unused, &mac);
  napi_set_named_property(env, out, "ifindex", idx);
  napi_set_named_property(env, out, "mac", mac);
  return out;
}

static napi_value frame_send(napi_env env, napi_callback_info info) {
  napi_value argv[2], out;
  frame_tx *f = frame_arg(env, info, 2, argv, 0);
  struct sockaddr_ll to;
  unsigned char *data;
  size_t len;
  ssize_t r;
  bool typed;
  if (f == NULL) return NULL;
  if (napi_is_typedarray(env, argv[1], &typed) != napi_ok || !typed ||
      napi_get_typedarray_info(env, argv[1], NULL, &len, (void **)&data, NULL, NULL) != napi_ok)
    return lvsd_throw_arg(env, "frameTxSend: frame must be a Uint8Array");
  if (len < ETH_HEADER) return lvsd_throw_arg(env, "frameTxSend: a frame needs at least its 14-byte Ethernet header");
  memset(&to, 0, sizeof to);
  to.sll_family = AF_PACKET;
  to.sll_ifindex = f->ifindex;
  to.sll_halen = 6;
  memcpy(to.sll_addr, data, 6);
  memcpy(&to.sll_protocol, data + 12, 2); /* the ethertype, already in network order */
  do {
    r = sendto(f->fd, data, len, 0, (struct sockaddr *)&to, sizeof to);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return lvsd_throw_errno(env, errno, "sendto");
  napi_create_int64(env, (int64_t)r, &out);
  return out;
}

static napi_value frame_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  frame_tx *f = frame_arg(env, info, 1, argv, 1);
  if (f != NULL && f->fd >= 0) {
    close(f->fd);
    f->fd = -1;
  }
  return NULL;
}

napi_status lvsd_register_frame_tx(napi_env env, napi_value exports) {
  napi_property_descriptor fns[] = {
      {"frameTxOpen", NULL, frame_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frameTxInfo", NULL, frame_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frameTxSend", NULL, frame_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"frameTxClose", NULL, frame_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  return napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
}
