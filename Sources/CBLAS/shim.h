#ifndef INTERP_CBLAS_SHIM_H
#define INTERP_CBLAS_SHIM_H
#include <cblas.h>
// OpenBLAS's thread control; declared again so the shim works whichever cblas.h the system picks.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
