package layout

// VerifyPrograms makes every compiled execution of s compare its output
// with html/template's, and clears the record of what they did; it returns
// a function that turns it off again and reports the record: the
// templates that did not compile, the outputs that differed, how many
// executions were compiled and how many fell back to html/template.
func (s *Set) VerifyPrograms() func() (compileErrs, mismatches []string, runs, fallbacks int64) {
	c := &s.check
	c.mu.Lock()
	c.compileErrs, c.mismatches = nil, nil
	c.mu.Unlock()
	c.fallbacks.Store(0)
	c.runs.Store(0)
	c.verify.Store(true)
	return func() ([]string, []string, int64, int64) {
		c.verify.Store(false)
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.compileErrs, c.mismatches, c.runs.Load(), c.fallbacks.Load()
	}
}
