package chaos

import "syscall"

// childAttr has nothing to add on Windows, where the harness cannot send
// SIGTERM and so stops children by killing them.
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
