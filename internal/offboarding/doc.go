// Package offboarding carries out one termination in DocSpace: a preflight
// that changes nothing, then the steps disable, reassign, archive, access and
// audit (and, when configured, seal, which moves the archive room into
// DocSpace's Archive).
//
// Every step reads DocSpace's current state first and treats "already done" as
// done, and every side effect that DocSpace does not make idempotent (creating
// a room, starting a job, moving a folder, uploading a file) is recorded in the
// termination's State before and after it happens. The caller persists State
// at each checkpoint, so a redelivered or restarted termination resumes at the
// first unfinished step and repeats no side effect.
//
// The package decides nothing about delivery: Run returns a final result to
// publish, or an error that says whether trying again can help.
package offboarding
