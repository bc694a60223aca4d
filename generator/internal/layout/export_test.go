package layout

// VerifyPrograms makes every compiled execution compare its output with
// html/template's, and clears the record of what they did; it returns a
// function that turns it off again and reports the record: the templates
// that did not compile, the outputs that differed, how many executions
// were compiled and how many fell back to html/template.
func VerifyPrograms() func() (compileErrs, mismatches []string, runs, fallbacks int64) {
	progStats.mu.Lock()
	progStats.compileErrs, progStats.mismatches = nil, nil
	progStats.mu.Unlock()
	progStats.fallbacks.Store(0)
	progStats.runs.Store(0)
	verifyPrograms.Store(true)
	return func() ([]string, []string, int64, int64) {
		verifyPrograms.Store(false)
		progStats.mu.Lock()
		defer progStats.mu.Unlock()
		return progStats.compileErrs, progStats.mismatches, progStats.runs.Load(), progStats.fallbacks.Load()
	}
}

// SetCompiledExecution turns compiled programs on or off.
func SetCompiledExecution(on bool) { compiledExecution.Store(on) }
