/*
 * System errors as JS values: an Error whose `code` is the errno name (ENOBUFS), `errno` the positive C errno
 * and `syscall` the call that failed. Used both for thrown errors (synchronous calls) and for errors delivered
 * as items of a receive batch, so that no failure ever has to unwind through native code.
 */
#ifndef LVSD_ERRNO_VALUE_H
#define LVSD_ERRNO_VALUE_H

#include <node_api.h>

/* Builds the error value; returns NULL only when the JS engine itself cannot allocate. */
napi_value lvsd_errno_value(napi_env env, int err, const char *syscall);

/* Throws lvsd_errno_value(err, syscall) and returns NULL, for use as `return lvsd_throw_errno(...)`. */
napi_value lvsd_throw_errno(napi_env env, int err, const char *syscall);

/* Throws a TypeError with code LVSD_E_NATIVE_ARG and returns NULL. */
napi_value lvsd_throw_arg(napi_env env, const char *message);

#endif
