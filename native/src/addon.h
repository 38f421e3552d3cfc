/* lvsd native addon: each part registers its functions on the module's exports. */
#ifndef LVSD_ADDON_H
#define LVSD_ADDON_H

#include <node_api.h>

/* netlink_socket.c: netlinkOpen, netlinkSend, netlinkJoin, netlinkRef, netlinkInfo, netlinkClose */
napi_status lvsd_register_netlink(napi_env env, napi_value exports);

/* vrrp_socket.c: vrrpOpen, vrrpSend, vrrpInfo, vrrpRef, vrrpClose */
napi_status lvsd_register_vrrp(napi_env env, napi_value exports);

/* frame_tx.c: frameTxOpen, frameTxInfo, frameTxSend, frameTxClose */
napi_status lvsd_register_frame_tx(napi_env env, napi_value exports);

/* unix_dgram.c: unixDgramSend (sd_notify) */
napi_status lvsd_register_unix_dgram(napi_env env, napi_value exports);

#endif
