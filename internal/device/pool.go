package device

import "sync"

// Pool keeps one Device per target for the life of the process, so that every provider
// instance Terraform configures in this process (aliases, the plan walk and the apply walk)
// shares one SSH session and one lock per device.
type Pool struct {
	mu      sync.Mutex
	devices map[string]*Device
}

// Get returns the Device stored under key, creating it with mk the first time. A Device
// handed out again starts a new run (see Device.NewRun): Get is called when a provider
// instance is configured, which starts a new plan or apply walk, and each of those reads the
// device afresh.
func (p *Pool) Get(key string, mk func() *Device) *Device {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.devices == nil {
		p.devices = map[string]*Device{}
	}
	if d, ok := p.devices[key]; ok {
		d.NewRun()
		return d
	}
	d := mk()
	p.devices[key] = d
	return d
}

// CloseAll closes every session and forgets the devices.
func (p *Pool) CloseAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.devices {
		_ = d.Close()
	}
	p.devices = nil
}
