#ifndef INTERP_CEDITLINE_SHIM_H
#define INTERP_CEDITLINE_SHIM_H
#include <stdio.h>
#include <editline/readline.h>
#endif
