// prctl(2) is variadic, so Swift cannot call it; this non-variadic wrapper can be.
#ifndef AIL_CPROCESSCONTROL_SHIM_H
#define AIL_CPROCESSCONTROL_SHIM_H
#include <signal.h>
#include <sys/prctl.h>

/// Asks the kernel to send `signal` to this process when the thread that created it exits
/// (PR_SET_PDEATHSIG); returns 0, or -1 with errno set.
static inline int ail_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}
#endif
