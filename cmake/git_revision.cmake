# Writes OUT (a header defining GOVSIM_GIT_REVISION) from `git describe`, touching it only when the text
# changes, so every build records the revision it was built from without needless recompiles. A source
# tarball (scripts/dist.sh) carries its revision in .govsim-revision and needs no git: that file wins, also
# when the tarball was unpacked inside some other git work tree.
if(EXISTS ${SRC}/.govsim-revision)
  file(STRINGS ${SRC}/.govsim-revision rev LIMIT_COUNT 1)
else()
  execute_process(COMMAND git describe --always --dirty --abbrev=12
                  WORKING_DIRECTORY ${SRC}
                  OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    set(rev "")
  endif()
endif()
if(NOT rev)
  set(rev "unknown")
endif()
set(text "#pragma once\n#define GOVSIM_GIT_REVISION \"${rev}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
