package chaos

// exe is the file name of a program called name.
func exe(name string) string { return name + ".exe" }
