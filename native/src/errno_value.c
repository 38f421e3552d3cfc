#include "errno_value.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *errno_name(int err) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char *name = strerrorname_np(err);
  if (name != NULL) return name;
#endif
  return "EUNKNOWN"; /* the TypeScript facade names it from os.constants.errno */
}

napi_value lvsd_errno_value(napi_env env, int err, const char *syscall) {
  char text[160];
  napi_value code, msg, error, num, call;
  snprintf(text, sizeof text, "%s %s (%s)", syscall, errno_name(err), strerror(err));
  if (napi_create_string_utf8(env, errno_name(err), NAPI_AUTO_LENGTH, &code) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg) != napi_ok) return NULL;
  if (napi_create_error(env, code, msg, &error) != napi_ok) return NULL;
  if (napi_create_int32(env, err, &num) != napi_ok) return NULL;
  if (napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &call) != napi_ok) return NULL;
  if (napi_set_named_property(env, error, "errno", num) != napi_ok) return NULL;
  if (napi_set_named_property(env, error, "syscall", call) != napi_ok) return NULL;
  return error;
}

napi_value lvsd_throw_errno(napi_env env, int err, const char *syscall) {
  napi_value error = lvsd_errno_value(env, err, syscall);
  if (error != NULL) napi_throw(env, error);
  return NULL;
}

napi_value lvsd_throw_arg(napi_env env, const char *message) {
  napi_throw_type_error(env, "LVSD_E_NATIVE_ARG", message);
  return NULL;
}
