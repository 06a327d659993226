# Compiler warnings and sanitizers applied to every devtrust target through the
# devtrust_options interface library.

add_library(devtrust_options INTERFACE)
target_compile_options(devtrust_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
# -Wnull-dereference is left out: with -O2, GCC 12 reports it inside
# libstdc++'s basic_string when inlined through CLI11 and Asio, where no null
# pointer can occur.
if(DEVTRUST_WERROR)
  target_compile_options(devtrust_options INTERFACE -Werror)
endif()
if(DEVTRUST_SANITIZE)
  target_compile_options(devtrust_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(devtrust_options INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(devtrust_options INTERFACE "${PROJECT_SOURCE_DIR}/src")
target_compile_definitions(devtrust_options INTERFACE
  "DEVTRUST_SOURCE_DIR=\"${PROJECT_SOURCE_DIR}\""
  "DEVTRUST_OPENSSL_BIN=\"${DEVTRUST_OPENSSL_BIN}\"")
