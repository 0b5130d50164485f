#include "experiment/design.h"
