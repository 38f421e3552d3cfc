{
  "targets": [
    {
      "target_name": "lvsd_native",
      "sources": [
        "src/addon.c",
        "src/errno_value.c",
        "src/frame_tx.c",
        "src/netlink_create.c",
        "src/netlink_rx.c",
        "src/netlink_socket.c",
        "src/netns_socket.c",
        "src/polled_socket.c",
        "src/unix_dgram.c",
        "src/vrrp_rx.c",
        "src/vrrp_socket.c"
      ],
      "cflags": ["-Wall", "-Wextra", "-Werror=implicit-function-declaration", "-O2", "-std=gnu11"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"]
    }
  ]
}
