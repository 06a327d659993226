// Early-return helpers for code that chains many fallible steps, such as one
// database operation made of several statements.
#ifndef DEVTRUST_BASE_STATUS_MACROS_H_
#define DEVTRUST_BASE_STATUS_MACROS_H_

#include <expected>
#include <utility>

// Evaluates `expr`, a Status or Result<T>, and returns its error from the
// enclosing function, which must return a Status or Result.
// The temporaries get names unique per expansion (__COUNTER__), so that a
// lambda inside the argument of another expansion shadows nothing.
#define DEVTRUST_RETURN_IF_ERROR(expr) \
  DEVTRUST_RETURN_IF_ERROR_IMPL_(DEVTRUST_STATUS_CONCAT_(devtrust_status_, __COUNTER__), expr)

#define DEVTRUST_RETURN_IF_ERROR_IMPL_(status, expr)     \
  do {                                                   \
    auto status = (expr);                                \
    if (!status.has_value()) {                           \
      return std::unexpected(std::move(status).error()); \
    }                                                    \
  } while (false)

#define DEVTRUST_STATUS_CONCAT_INNER_(a, b) a##b
#define DEVTRUST_STATUS_CONCAT_(a, b) DEVTRUST_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr`, a Result<T>, and returns its error or moves its value
// into `lhs`, which may be a declaration such as `auto row`.
#define DEVTRUST_ASSIGN_OR_RETURN(lhs, expr) \
  DEVTRUST_ASSIGN_OR_RETURN_IMPL_(DEVTRUST_STATUS_CONCAT_(devtrust_result_, __COUNTER__), lhs, expr)

#define DEVTRUST_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                                    \
  if (!result.has_value()) {                               \
    return std::unexpected(std::move(result).error());     \
  }                                                        \
  lhs = std::move(result).value()

#endif  // DEVTRUST_BASE_STATUS_MACROS_H_
