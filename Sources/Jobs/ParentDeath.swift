import CProcessControl
import Foundation

/// Makes a job's command die with the scheduler that started it.
///
/// The scheduler starts each command with `AIL_JOB_PARENT_PID` set to its own pid. The command
/// calls ``armFromEnvironment()`` first thing: it asks the kernel for SIGKILL when its parent
/// dies (`PR_SET_PDEATHSIG`), then checks the parent is still the one named, closing the race
/// where the scheduler died before the request was made. So a scheduler killed with SIGKILL
/// (which can run no cleanup) never leaves a command running behind a standby that will start
/// it again. The kernel sends the signal when the *thread* that spawned the child exits, so the
/// scheduler spawns from the thread that waits for the child.
public enum ParentDeath {
    /// The environment variable naming the parent's pid.
    public static let variable = "AIL_JOB_PARENT_PID"

    /// Arms the parent-death signal when `AIL_JOB_PARENT_PID` is set; does nothing otherwise.
    public static func armFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment[variable], let parent = Int32(text) else { return }
        _ = ail_set_parent_death_signal(SIGKILL)
        if getppid() != parent { kill(getpid(), SIGKILL) }
    }
}
