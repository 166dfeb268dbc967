// libpq's client API. The header lives under /usr/include/postgresql; pkg-config (libpq.pc)
// supplies that include path.
#ifndef AIL_CLIBPQ_SHIM_H
#define AIL_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
