// packet_socket: the only C in barelb. An AF_PACKET (SOCK_RAW) socket bound to one interface,
// for JavaScript: open with a classic BPF filter, send a frame, join/leave a link-layer multicast
// group, receive frames through libuv polling, close. Codecs and policy live in TypeScript.
//
// JS API (all errors are thrown as Error with .code 'E…', .errno (negative), .syscall):
//   open(ifname, protocol, filter, callback) -> handle {ifname, ifindex, mac}
//     protocol: ethertype in host order (0x0806, 0x86dd, 0x0003 = ETH_P_ALL)
//     filter: Array<[code, jt, jf, k]> classic BPF, attached before bind; [] for none
//     callback(error, frame, pktType): frame is a Uint8Array copy; our own sends
//       (PACKET_OUTGOING) are never delivered; error is set (frame undefined) on a receive error
//   send(handle, frame: Uint8Array)            whole Ethernet frame, destination MAC first
//   addMembership(handle, mac) / dropMembership(handle, mac)   6-byte Uint8Array
//   close(handle)                              idempotent; a finalizer closes a forgotten handle,
//                                              and an exiting environment (worker) closes all
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETH_HEADER_LEN 14
#define MAC_LEN 6
#define FRAME_MAX 65536
// Frames handled per readable event; libuv polls level-triggered, so the rest come next turn
// and a flood cannot starve the event loop.
#define DRAIN_MAX 256

typedef struct {
  napi_env env;
  int fd;  // -1 once closed
  int ifindex;
  char ifname[IF_NAMESIZE];
  napi_ref callback;
  napi_async_context async;
  napi_async_cleanup_hook_handle hook;      // registered while open
  napi_async_cleanup_hook_handle teardown;  // set while the exiting environment waits for us
  uv_poll_t poll;
  bool poll_closed;  // the poll handle is not initialised or its close callback has run
  bool finalized;    // the JS handle was collected; free once the poll handle is closed too
  unsigned char buf[FRAME_MAX];
} PacketSocket;

static const napi_type_tag HANDLE_TAG = {0x6261726c65626c62ULL, 0x7061636b65747363ULL};

// ---- errors --------------------------------------------------------------------------------

static const char *errno_name(int err) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char *name = strerrorname_np(err);
  if (name != NULL) return name;
#endif
  (void)err;
  return "EUNKNOWN";
}

// "packet socket bind on eth0: No such device"
static napi_value errno_error(napi_env env, int err, const char *syscall, const char *ifname) {
  char text[256];
  snprintf(text, sizeof text, "packet socket %s on %s: %s", syscall, ifname, strerror(err));
  napi_value code, message, error, number, name;
  if (napi_create_string_utf8(env, errno_name(err), NAPI_AUTO_LENGTH, &code) != napi_ok ||
      napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message) != napi_ok ||
      napi_create_error(env, code, message, &error) != napi_ok) {
    return NULL;
  }
  if (napi_create_int32(env, -err, &number) == napi_ok) napi_set_named_property(env, error, "errno", number);
  if (napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &name) == napi_ok) {
    napi_set_named_property(env, error, "syscall", name);
  }
  return error;
}

static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *ifname) {
  napi_value error = errno_error(env, err, syscall, ifname);
  if (error != NULL) napi_throw(env, error);
  return NULL;
}

// Turns a failed napi_* status into a JS exception unless one is already pending.
static napi_value throw_status(napi_env env) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    const napi_extended_error_info *info = NULL;
    napi_get_last_error_info(env, &info);
    const char *text = info != NULL && info->error_message != NULL ? info->error_message : "Node-API call failed";
    napi_throw_error(env, NULL, text);
  }
  return NULL;
}

static napi_value throw_type(napi_env env, const char *code, const char *text) {
  napi_throw_type_error(env, code, text);
  return NULL;
}

static napi_value throw_range(napi_env env, const char *text) {
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", text);
  return NULL;
}

#define NAPI_CALL(env, call)                            \
  do {                                                  \
    if ((call) != napi_ok) return throw_status(env);    \
  } while (0)

// ---- argument parsing ----------------------------------------------------------------------

static bool get_uint(napi_env env, napi_value value, double max, const char *what, uint32_t *out) {
  double number;
  // The comparisons are false for NaN; the cast test rejects fractions.
  if (napi_get_value_double(env, value, &number) != napi_ok || !(number >= 0 && number <= max) ||
      (double)(uint32_t)number != number) {
    char text[128];
    snprintf(text, sizeof text, "%s must be an integer from 0 to %.0f", what, max);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", text);
    return false;
  }
  *out = (uint32_t)number;
  return true;
}

// A Uint8Array (Buffer included) as pointer and length; throws a TypeError otherwise.
static bool get_bytes(napi_env env, napi_value value, const char *what, unsigned char **data, size_t *len) {
  bool is_typed = false;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, len, (void **)data, NULL, NULL) != napi_ok ||
      type != napi_uint8_array) {
    char text[128];
    snprintf(text, sizeof text, "%s must be a Uint8Array", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", text);
    return false;
  }
  return true;
}

// One filter instruction [code, jt, jf, k].
static bool get_insn(napi_env env, napi_value row, struct sock_filter *insn) {
  bool is_array = false;
  uint32_t len = 0;
  napi_value v[4];
  if (napi_is_array(env, row, &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, row, &len) != napi_ok || len != 4) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "each filter instruction must be [code, jt, jf, k]");
    return false;
  }
  for (uint32_t i = 0; i < 4; i++) {
    if (napi_get_element(env, row, i, &v[i]) != napi_ok) return false;
  }
  uint32_t code, jt, jf, k;
  if (!get_uint(env, v[0], 0xffff, "filter code", &code) || !get_uint(env, v[1], 0xff, "filter jt", &jt) ||
      !get_uint(env, v[2], 0xff, "filter jf", &jf) || !get_uint(env, v[3], 4294967295.0, "filter k", &k)) {
    return false;
  }
  *insn = (struct sock_filter){.code = (uint16_t)code, .jt = (uint8_t)jt, .jf = (uint8_t)jf, .k = k};
  return true;
}

// Reads the filter array into a malloc'd program (NULL with *count 0 for an empty filter).
static bool get_filter(napi_env env, napi_value array, struct sock_filter **prog, uint32_t *count) {
  bool is_array = false;
  *prog = NULL;
  if (napi_is_array(env, array, &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, array, count) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "filter must be an array of [code, jt, jf, k]");
    return false;
  }
  if (*count > BPF_MAXINSNS) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "filter has more than 4096 instructions");
    return false;
  }
  if (*count == 0) return true;
  *prog = calloc(*count, sizeof **prog);
  if (*prog == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return false;
  }
  for (uint32_t i = 0; i < *count; i++) {
    napi_value row;
    if (napi_get_element(env, array, i, &row) != napi_ok || !get_insn(env, row, &(*prog)[i])) {
      free(*prog);
      *prog = NULL;
      return false;
    }
  }
  return true;
}

static PacketSocket *get_socket(napi_env env, napi_value handle) {
  napi_valuetype type;
  bool tagged = false;
  void *data = NULL;
  if (napi_typeof(env, handle, &type) != napi_ok || type != napi_object ||
      napi_check_object_type_tag(env, handle, &HANDLE_TAG, &tagged) != napi_ok || !tagged ||
      napi_unwrap(env, handle, &data) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "handle must come from open()");
    return NULL;
  }
  return data;
}

// ---- lifecycle -----------------------------------------------------------------------------

static void release_js(PacketSocket *s) {
  if (s->callback != NULL) napi_delete_reference(s->env, s->callback);
  if (s->async != NULL) napi_async_destroy(s->env, s->async);
  s->callback = NULL;
  s->async = NULL;
}

static void on_poll_closed(uv_handle_t *handle) {
  PacketSocket *s = handle->data;
  napi_async_cleanup_hook_handle teardown = s->teardown;
  s->poll_closed = true;
  release_js(s);
  if (s->finalized) free(s);
  // Last: once removed, the environment may finish tearing down and unload this library.
  if (teardown != NULL) napi_remove_async_cleanup_hook(teardown);
}

// Stops polling and closes the fd. Idempotent. Memory is freed once both the poll handle is
// closed and the JS handle is finalized.
static void shutdown_socket(PacketSocket *s) {
  if (s->fd < 0) return;
  if (s->hook != NULL && s->teardown == NULL) napi_remove_async_cleanup_hook(s->hook);
  s->hook = NULL;
  if (s->poll_closed) {
    release_js(s);  // never polled, so no callback is running
  } else {
    // JS references go in on_poll_closed: close() may run inside this socket's callback.
    uv_poll_stop(&s->poll);
    uv_close((uv_handle_t *)&s->poll, on_poll_closed);
  }
  close(s->fd);
  s->fd = -1;
}

// The environment is going away (worker or process exit). It waits, with this library still
// loaded, until on_poll_closed removes the hook: uv_close completes asynchronously.
static void cleanup_hook(napi_async_cleanup_hook_handle teardown, void *arg) {
  PacketSocket *s = arg;
  s->teardown = teardown;
  bool polled = !s->poll_closed;
  release_js(s);
  shutdown_socket(s);
  if (!polled) napi_remove_async_cleanup_hook(teardown);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  PacketSocket *s = data;
  s->finalized = true;
  shutdown_socket(s);
  if (s->poll_closed) free(s);
}

// ---- receiving -----------------------------------------------------------------------------

static void call_back(PacketSocket *s, size_t argc, napi_value *argv) {
  napi_env env = s->env;
  napi_value callback, recv, result, exception;
  bool pending = false;
  // make_callback (not call_function) so promise jobs and nextTicks queued by JS run after it;
  // its receiver must be an object.
  if (s->callback != NULL && napi_get_reference_value(env, s->callback, &callback) == napi_ok &&
      callback != NULL && napi_get_global(env, &recv) == napi_ok) {
    napi_make_callback(env, s->async, recv, callback, argc, argv, &result);
  }
  // Nothing above us would see an exception: hand it to process 'uncaughtException', as Node
  // does for any I/O callback.
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
      napi_get_and_clear_last_exception(env, &exception) == napi_ok) {
    napi_fatal_exception(env, exception);
  }
}

static void deliver_frame(PacketSocket *s, size_t len, unsigned char pkttype) {
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value argv[3], buffer;
  void *data = NULL;
  if (napi_get_null(env, &argv[0]) == napi_ok &&
      napi_create_arraybuffer(env, len, &data, &buffer) == napi_ok &&
      napi_create_typedarray(env, napi_uint8_array, len, buffer, 0, &argv[1]) == napi_ok &&
      napi_create_uint32(env, pkttype, &argv[2]) == napi_ok) {
    memcpy(data, s->buf, len);
    call_back(s, 3, argv);
  }
  napi_close_handle_scope(env, scope);
}

static void deliver_error(PacketSocket *s, int err, const char *syscall) {
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value argv[1] = {errno_error(env, err, syscall, s->ifname)};
  if (argv[0] != NULL) call_back(s, 1, argv);
  napi_close_handle_scope(env, scope);
}

// Errors after which the socket still works: the link went down (the kernel reports it once) or
// memory was short for a moment. Anything else stops polling; the socket stays open until close.
static bool transient(int err) { return err == ENETDOWN || err == ENOBUFS || err == ENOMEM; }

static void on_readable(uv_poll_t *poll, int status, int events);

// libuv turns any POLLERR into UV_EBADF and stops the handle. For a packet socket POLLERR means a
// pending socket error (ENETDOWN when the link goes down or goes away): reading SO_ERROR clears
// it, and polling resumes when it is transient.
static void on_poll_error(PacketSocket *s, int status) {
  int pending = 0;
  socklen_t len = sizeof pending;
  bool known = getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &pending, &len) == 0 && pending != 0;
  deliver_error(s, known ? pending : -status, "poll");
  if (known && transient(pending) && s->fd >= 0) uv_poll_start(&s->poll, UV_READABLE, on_readable);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  (void)events;
  PacketSocket *s = poll->data;
  if (status < 0) {
    on_poll_error(s, status);
    return;
  }
  for (int n = 0; n < DRAIN_MAX && s->fd >= 0; n++) {
    struct sockaddr_ll from;
    socklen_t fromlen = sizeof from;
    // MSG_TRUNC: the real length comes back even when larger than the buffer.
    ssize_t len = recvfrom(s->fd, s->buf, sizeof s->buf, MSG_TRUNC, (struct sockaddr *)&from, &fromlen);
    if (len < 0) {
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN || err == EWOULDBLOCK) return;
      if (!transient(err)) uv_poll_stop(&s->poll);
      deliver_error(s, err, "recvfrom");
      return;
    }
    if (from.sll_pkttype == PACKET_OUTGOING || (size_t)len > sizeof s->buf) continue;
    deliver_frame(s, (size_t)len, from.sll_pkttype);  // may close the socket: the loop checks fd
  }
}

// ---- exported functions --------------------------------------------------------------------

// Opens the socket with protocol 0 (receives nothing), attaches the filter, then binds with the
// real protocol: no unfiltered frame can be queued in between.
static int open_fd(const char *ifname, int ifindex, uint16_t protocol, struct sock_filter *prog,
                   uint32_t count, unsigned char mac[MAC_LEN], const char **syscall) {
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *syscall = "socket";
    return -1;
  }
  struct sock_fprog fprog = {.len = (unsigned short)count, .filter = prog};
  struct sockaddr_ll addr = {.sll_family = AF_PACKET, .sll_protocol = htons(protocol), .sll_ifindex = ifindex};
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
  if (count > 0 && setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog) < 0) {
    *syscall = "SO_ATTACH_FILTER";
  } else if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    *syscall = "bind";
  } else if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
    *syscall = "SIOCGIFHWADDR";
  } else {
    memcpy(mac, ifr.ifr_hwaddr.sa_data, MAC_LEN);
    return fd;
  }
  int err = errno;
  close(fd);
  errno = err;
  return -1;
}

static napi_value make_handle(napi_env env, PacketSocket *s, const unsigned char mac[MAC_LEN]) {
  napi_value handle, name, index, buffer, mac_array;
  void *data = NULL;
  NAPI_CALL(env, napi_create_object(env, &handle));
  NAPI_CALL(env, napi_create_string_utf8(env, s->ifname, NAPI_AUTO_LENGTH, &name));
  NAPI_CALL(env, napi_create_int32(env, s->ifindex, &index));
  NAPI_CALL(env, napi_create_arraybuffer(env, MAC_LEN, &data, &buffer));
  memcpy(data, mac, MAC_LEN);
  NAPI_CALL(env, napi_create_typedarray(env, napi_uint8_array, MAC_LEN, buffer, 0, &mac_array));
  NAPI_CALL(env, napi_set_named_property(env, handle, "ifname", name));
  NAPI_CALL(env, napi_set_named_property(env, handle, "ifindex", index));
  NAPI_CALL(env, napi_set_named_property(env, handle, "mac", mac_array));
  NAPI_CALL(env, napi_type_tag_object(env, handle, &HANDLE_TAG));
  NAPI_CALL(env, napi_wrap(env, handle, s, finalize, NULL, NULL));
  return handle;
}

// After the handle owns `s`: hold the callback, start polling, register the cleanup hook.
static napi_value start_polling(napi_env env, PacketSocket *s, napi_value handle, napi_value callback) {
  uv_loop_t *loop = NULL;
  napi_value resource_name;
  NAPI_CALL(env, napi_create_reference(env, callback, 1, &s->callback));
  NAPI_CALL(env, napi_create_string_utf8(env, "barelb:PacketSocket", NAPI_AUTO_LENGTH, &resource_name));
  NAPI_CALL(env, napi_async_init(env, handle, resource_name, &s->async));
  NAPI_CALL(env, napi_get_uv_event_loop(env, &loop));
  int rc = uv_poll_init(loop, &s->poll, s->fd);
  if (rc < 0) return throw_errno(env, -rc, "uv_poll_init", s->ifname);
  s->poll.data = s;
  s->poll_closed = false;
  rc = uv_poll_start(&s->poll, UV_READABLE, on_readable);
  if (rc < 0) return throw_errno(env, -rc, "uv_poll_start", s->ifname);
  NAPI_CALL(env, napi_add_async_cleanup_hook(env, cleanup_hook, s, &s->hook));
  return handle;
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  char ifname[IF_NAMESIZE];
  size_t ifname_len = 0;
  uint32_t protocol, count;
  napi_valuetype cb_type;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) return throw_type(env, "ERR_MISSING_ARGS", "open(ifname, protocol, filter, callback)");
  if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &ifname_len) != napi_ok || ifname_len == 0 ||
      ifname_len >= IF_NAMESIZE) {
    return throw_type(env, "ERR_INVALID_ARG_VALUE", "ifname must be a string of 1-15 bytes");
  }
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], ifname, sizeof ifname, &ifname_len));
  if (!get_uint(env, argv[1], 0xffff, "protocol", &protocol)) return NULL;
  NAPI_CALL(env, napi_typeof(env, argv[3], &cb_type));
  if (cb_type != napi_function) {
    return throw_type(env, "ERR_INVALID_ARG_TYPE", "callback must be a function");
  }
  struct sock_filter *prog = NULL;
  if (!get_filter(env, argv[2], &prog, &count)) return NULL;

  int ifindex = (int)if_nametoindex(ifname);
  if (ifindex == 0) {
    free(prog);
    return throw_errno(env, errno, "if_nametoindex", ifname);
  }
  unsigned char mac[MAC_LEN];
  const char *syscall = NULL;
  int fd = open_fd(ifname, ifindex, (uint16_t)protocol, prog, count, mac, &syscall);
  free(prog);
  if (fd < 0) return throw_errno(env, errno, syscall, ifname);

  PacketSocket *s = calloc(1, sizeof *s);
  if (s == NULL) {
    close(fd);
    return throw_errno(env, ENOMEM, "open", ifname);
  }
  s->env = env;
  s->fd = fd;
  s->ifindex = ifindex;
  s->poll_closed = true;
  memcpy(s->ifname, ifname, sizeof ifname);
  napi_value handle = make_handle(env, s, mac);
  if (handle == NULL) {  // not wrapped: nothing else owns s
    close(fd);
    free(s);
    return NULL;
  }
  if (start_polling(env, s, handle, argv[3]) == NULL) {
    shutdown_socket(s);  // the finalizer frees s
    return NULL;
  }
  return handle;
}

static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  unsigned char *frame;
  size_t len;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  PacketSocket *s = get_socket(env, argv[0]);
  if (s == NULL || !get_bytes(env, argv[1], "frame", &frame, &len)) return NULL;
  if (len < ETH_HEADER_LEN) {
    return throw_range(env, "frame is shorter than an Ethernet header");
  }
  if (s->fd < 0) return throw_errno(env, EBADF, "sendto", s->ifname);
  struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_ifindex = s->ifindex, .sll_halen = MAC_LEN};
  memcpy(&to.sll_protocol, frame + 12, 2);  // already in network order
  memcpy(to.sll_addr, frame, MAC_LEN);
  ssize_t sent = sendto(s->fd, frame, len, 0, (struct sockaddr *)&to, sizeof to);
  if (sent < 0) return throw_errno(env, errno, "sendto", s->ifname);
  if ((size_t)sent != len) return throw_errno(env, EMSGSIZE, "sendto", s->ifname);
  return NULL;
}

static napi_value membership(napi_env env, napi_callback_info info, int option, const char *syscall) {
  size_t argc = 2;
  napi_value argv[2];
  unsigned char *mac;
  size_t len;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  PacketSocket *s = get_socket(env, argv[0]);
  if (s == NULL || !get_bytes(env, argv[1], "mac", &mac, &len)) return NULL;
  if (len != MAC_LEN) return throw_range(env, "mac must be 6 bytes");
  if (s->fd < 0) return throw_errno(env, EBADF, syscall, s->ifname);
  struct packet_mreq mreq = {.mr_ifindex = s->ifindex, .mr_type = PACKET_MR_MULTICAST, .mr_alen = MAC_LEN};
  memcpy(mreq.mr_address, mac, MAC_LEN);
  if (setsockopt(s->fd, SOL_PACKET, option, &mreq, sizeof mreq) < 0) return throw_errno(env, errno, syscall, s->ifname);
  return NULL;
}

static napi_value js_add_membership(napi_env env, napi_callback_info info) {
  return membership(env, info, PACKET_ADD_MEMBERSHIP, "PACKET_ADD_MEMBERSHIP");
}

static napi_value js_drop_membership(napi_env env, napi_callback_info info) {
  return membership(env, info, PACKET_DROP_MEMBERSHIP, "PACKET_DROP_MEMBERSHIP");
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  PacketSocket *s = get_socket(env, argv[0]);
  if (s != NULL) shutdown_socket(s);
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"addMembership", NULL, js_add_membership, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dropMembership", NULL, js_drop_membership, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
