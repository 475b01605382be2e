# The AF_PACKET addon: plain C on the Node-API C interface (no C++, no node-addon-api).
# Built by native/build.ts against the pinned Node's own headers (never downloaded).
{
  "targets": [
    {
      "target_name": "packet_socket",
      "sources": ["src/packet_socket.c"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags": ["-Wall", "-Wextra", "-Werror", "-O2"],
      "cflags_c": ["-std=gnu11"],
      "cflags!": ["-O3"]
    }
  ]
}
