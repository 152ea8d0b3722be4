package simulator

import "strings"

// A partition cuts the device off the network at a chosen point of a transaction: the
// connection is dropped when a given command line arrives (the device never runs it), and
// every later connection is closed before the SSH handshake, as when the path to the device
// is lost, until Heal. Tests use it to lose the device between a confirmed commit and its
// confirmation, so that the device's own rollback is what decides.

// PartitionAt drops the connection when a command line equal to line (spaces around it
// ignored) arrives, before it runs (ran false) or after it ran and before its output is sent
// (ran true), and from then on refuses every new connection until Heal. Answers to
// questions are never matched.
func (s *Server) PartitionAt(line string, ran bool) {
	s.controls.mu.Lock()
	s.controls.partitionAt, s.controls.partitionRan = strings.TrimSpace(line), ran
	s.controls.mu.Unlock()
}

// Heal ends a partition: new connections are accepted again. A pending PartitionAt or DropAt
// that has not fired is removed too.
func (s *Server) Heal() {
	s.controls.mu.Lock()
	s.controls.partitionAt, s.controls.dropAt = "", ""
	s.controls.partitioned = false
	s.controls.mu.Unlock()
}

// DropAt closes the connection abruptly, once, when a command line equal to line (spaces
// around it ignored) arrives: before it runs when ran is false (the device never sees it),
// after it ran and before its output is sent when ran is true (the device did the work, the
// client never learns it). The device stays reachable. Answers to questions are never
// matched.
func (s *Server) DropAt(line string, ran bool) {
	s.controls.mu.Lock()
	s.controls.dropAt, s.controls.dropAtRan = strings.TrimSpace(line), ran
	s.controls.mu.Unlock()
}

// Partitioned reports whether the device is cut off.
func (s *Server) Partitioned() bool {
	s.controls.mu.Lock()
	defer s.controls.mu.Unlock()
	return s.controls.partitioned
}

// partitionHits reports whether cmd, about to run, starts the partition (and starts it) or
// is a DropAt line to drop before it runs.
func (c *Controls) partitionHits(cmd string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	cmd = strings.TrimSpace(cmd)
	if c.dropAt != "" && !c.dropAtRan && cmd == c.dropAt {
		c.dropAt = ""
		return true
	}
	if c.partitionAt == "" || c.partitionRan || cmd != c.partitionAt {
		return false
	}
	c.partitionAt = ""
	c.partitioned = true
	return true
}

// dropAfterRun reports whether cmd, which has just run, is a DropAt line to drop after it
// ran.
func (c *Controls) dropAfterRun(cmd string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	cmd = strings.TrimSpace(cmd)
	if c.partitionAt != "" && c.partitionRan && cmd == c.partitionAt {
		c.partitionAt = ""
		c.partitioned = true
		return true
	}
	if c.dropAt == "" || !c.dropAtRan || cmd != c.dropAt {
		return false
	}
	c.dropAt = ""
	return true
}

func (c *Controls) isPartitioned() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.partitioned
}
