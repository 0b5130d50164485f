#include "io/h5_combine.h"
