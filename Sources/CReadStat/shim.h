#pragma once
// ReadStat (Debian: libreadstat-dev) ships only readstat.h and libreadstat.so, no pkg-config file.
#include <readstat.h>
