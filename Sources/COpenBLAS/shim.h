#ifndef COpenBLAS_SHIM_H
#define COpenBLAS_SHIM_H
#include <cblas.h>
#endif
