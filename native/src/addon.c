/*
 * Module entry of the lvsd addon. The addon is a set of small parts (netlink sockets now, AF_PACKET I/O for
 * the packet plane later), each in its own file with its own register function listed in addon.h.
 */
#include "addon.h"

static napi_value init(napi_env env, napi_value exports) {
  if (lvsd_register_netlink(env, exports) != napi_ok) {
    napi_throw_error(env, "LVSD_E_NATIVE", "lvsd addon: registering the netlink functions failed");
    return NULL;
  }
  if (lvsd_register_vrrp(env, exports) != napi_ok || lvsd_register_frame_tx(env, exports) != napi_ok) {
    napi_throw_error(env, "LVSD_E_NATIVE", "lvsd addon: registering the VRRP and frame functions failed");
    return NULL;
  }
  if (lvsd_register_unix_dgram(env, exports) != napi_ok) {
    napi_throw_error(env, "LVSD_E_NATIVE", "lvsd addon: registering unixDgramSend failed");
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
