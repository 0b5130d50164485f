#include "experiment/sweep.h"
