# Generates build_info.cc with the version, the git commit and the build type.
# The commit is read at build time, not configure time, so an incremental build
# after a new commit still reports the right SHA.

set(DEVTRUST_BUILD_INFO_CC "${PROJECT_BINARY_DIR}/generated/build_info.cc")
add_custom_target(devtrust_build_info_gen
  COMMAND "${CMAKE_COMMAND}"
    "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
    "-DOUTPUT=${DEVTRUST_BUILD_INFO_CC}"
    "-DVERSION=${PROJECT_VERSION}"
    "-DBUILD_TYPE=$<IF:$<BOOL:${CMAKE_BUILD_TYPE}>,${CMAKE_BUILD_TYPE},Debug>$<$<BOOL:${DEVTRUST_SANITIZE}>:+asan+ubsan>"
    -P "${PROJECT_SOURCE_DIR}/cmake/WriteBuildInfo.cmake"
  BYPRODUCTS "${DEVTRUST_BUILD_INFO_CC}"
  COMMENT "Reading the git commit for build_info.cc")
