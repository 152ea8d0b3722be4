// Package vpn is the platform-neutral model of the objects the provider manages on a device:
// IKE gateways (phase 1), VPN tunnels (phase 2), source routes, static routes, prefix lists and
// BGP neighbors. The provider converts Terraform values into these types, the platform dialects
// render them to CLI and parse device configuration back into them. Nothing here knows about
// Terraform, SSH or any vendor syntax.
package vpn

import (
	"fmt"
	"sort"
)

// Kind names one of the six object types.
type Kind string

const (
	KindIKEGateway  Kind = "ike_gateway"
	KindTunnel      Kind = "vpn_tunnel"
	KindSourceRoute Kind = "source_route"
	KindStaticRoute Kind = "static_route"
	KindPrefixList  Kind = "prefix_list"
	KindBGPNeighbor Kind = "bgp_neighbor"
)

// Kinds lists every kind in dependency order: an object may refer only to kinds before it
// (a tunnel to a gateway, a BGP neighbor to prefix lists).
var Kinds = []Kind{KindIKEGateway, KindPrefixList, KindTunnel, KindStaticRoute, KindSourceRoute, KindBGPNeighbor}

// Object is implemented by every model type.
type Object interface {
	// Kind returns the object's type.
	Kind() Kind
	// Key returns the object's identity on a device: its name, or its natural key where the
	// device has no name for it (a route's prefix, a neighbor's address).
	Key() string
	// Validate checks the object on its own, without platform knowledge. It returns every
	// problem found, each naming the attribute.
	Validate() Errors
}

// IKEProposal is one phase-1 proposal.
type IKEProposal struct {
	Encryption string `json:"encryption"` // aes128, aes192, aes256, 3des, aes128gcm, aes256gcm
	Integrity  string `json:"integrity"`  // md5, sha1, sha256, sha384, sha512
	DHGroup    int    `json:"dh_group"`   // 1, 2, 5, 14..24
}

// DPD is dead-peer detection (IKE keepalive).
type DPD struct {
	Interval int    `json:"interval"` // seconds between probes
	Timeout  int    `json:"timeout"`  // seconds without answer before the action
	Action   string `json:"action"`   // hold, clear, restart
}

// IKEGateway is phase 1: the peer, how to authenticate to it and the IKE proposals.
type IKEGateway struct {
	Name           string        `json:"name"`
	PeerAddress    string        `json:"peer_address"`
	LocalAddress   string        `json:"local_address,omitempty"`
	IKEVersion     int           `json:"ike_version"` // 1 or 2
	PreSharedKey   string        `json:"-"`           // never marshalled, never logged
	Proposals      []IKEProposal `json:"proposals"`
	Lifetime       int           `json:"lifetime"` // seconds
	DPD            *DPD          `json:"dpd,omitempty"`
	LocalID        string        `json:"local_id,omitempty"`
	RemoteID       string        `json:"remote_id,omitempty"`
	ConnectionType string        `json:"connection_type,omitempty"` // initiate, respond; "" = device default
	Description    string        `json:"description,omitempty"`
}

// IPsecProposal is one phase-2 proposal.
type IPsecProposal struct {
	Encryption string `json:"encryption"`
	Integrity  string `json:"integrity"`
}

// TrafficSelector is one proxy-id pair of a policy-based tunnel.
type TrafficSelector struct {
	Local  string `json:"local"`  // CIDR
	Remote string `json:"remote"` // CIDR
}

// Tunnel is phase 2: the IPsec SA bound to a gateway and the interface or selectors it uses.
type Tunnel struct {
	Name        string            `json:"name"`
	Gateway     string            `json:"ike_gateway"`
	Proposals   []IPsecProposal   `json:"proposals"`
	PFSGroup    int               `json:"pfs_group"` // 0 = PFS disabled
	Lifetime    int               `json:"lifetime"`  // seconds
	Interface   string            `json:"tunnel_interface,omitempty"`
	Address     string            `json:"tunnel_interface_address,omitempty"` // CIDR on the tunnel interface
	MTU         int               `json:"mtu,omitempty"`
	Selectors   []TrafficSelector `json:"traffic_selectors,omitempty"`
	TCPMSS      int               `json:"tcp_mss,omitempty"`
	Description string            `json:"description,omitempty"`
}

// RouteBased reports whether the tunnel is bound to a tunnel interface (as opposed to traffic
// selectors only).
func (t *Tunnel) RouteBased() bool { return t.Interface != "" }

// SourceRoute sends traffic from a local prefix into a tunnel or to a next hop.
type SourceRoute struct {
	Source           string `json:"source"`                // CIDR; the key
	Destination      string `json:"destination,omitempty"` // CIDR; "" = any
	Interface        string `json:"tunnel_interface,omitempty"`
	NextHop          string `json:"next_hop,omitempty"`
	Preference       int    `json:"preference,omitempty"` // ScreenOS route preference
	Table            int    `json:"table,omitempty"`      // EdgeOS routing table
	Rule             int    `json:"rule,omitempty"`       // EdgeOS firewall modify rule number
	Ruleset          string `json:"ruleset,omitempty"`    // EdgeOS firewall modify ruleset
	IngressInterface string `json:"ingress_interface,omitempty"`
	Description      string `json:"description,omitempty"`
}

// StaticRoute is a destination route into a tunnel interface or to a next hop.
type StaticRoute struct {
	Destination string `json:"destination"` // CIDR; the key
	Interface   string `json:"tunnel_interface,omitempty"`
	NextHop     string `json:"next_hop,omitempty"`
	Distance    int    `json:"distance,omitempty"` // 0 = device default
}

// PrefixRule is one ordered entry of a prefix list.
type PrefixRule struct {
	Sequence    int    `json:"sequence"`
	Action      string `json:"action"` // permit, deny
	Prefix      string `json:"prefix"` // CIDR
	GE          int    `json:"ge,omitempty"`
	LE          int    `json:"le,omitempty"`
	Description string `json:"description,omitempty"`
}

// PrefixList is a named, ordered prefix list.
type PrefixList struct {
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Rules       []PrefixRule `json:"rules"`
}

// BGPNeighbor is one BGP peer and the networks it needs the local BGP process to announce.
//
// Keepalive and HoldTime are the neighbor's own timers (0 when it has none and uses the
// process's); process-level timers are not modelled. Networks are shared: a device announces a
// process's networks to all its neighbors and cannot say which neighbor needed which, so a
// parsed neighbor lists every network of its process, and the process announces the union of
// its neighbors' Networks.
type BGPNeighbor struct {
	Address        string   `json:"neighbor_address"` // the key
	LocalAS        int64    `json:"local_as"`
	RemoteAS       int64    `json:"remote_as"`
	UpdateSource   string   `json:"update_source,omitempty"`
	EBGPMultihop   int      `json:"ebgp_multihop,omitempty"`
	Keepalive      int      `json:"keepalive,omitempty"`
	HoldTime       int      `json:"hold_time,omitempty"`
	PrefixListIn   string   `json:"prefix_list_in,omitempty"`
	PrefixListOut  string   `json:"prefix_list_out,omitempty"`
	SoftReconfigIn bool     `json:"soft_reconfiguration_inbound,omitempty"`
	Password       string   `json:"-"`
	Description    string   `json:"description,omitempty"`
	Networks       []string `json:"networks,omitempty"` // CIDRs the local BGP process must announce
}

func (*IKEGateway) Kind() Kind  { return KindIKEGateway }
func (*Tunnel) Kind() Kind      { return KindTunnel }
func (*SourceRoute) Kind() Kind { return KindSourceRoute }
func (*StaticRoute) Kind() Kind { return KindStaticRoute }
func (*PrefixList) Kind() Kind  { return KindPrefixList }
func (*BGPNeighbor) Kind() Kind { return KindBGPNeighbor }

func (g *IKEGateway) Key() string  { return g.Name }
func (t *Tunnel) Key() string      { return t.Name }
func (r *SourceRoute) Key() string { return r.Source }
func (r *StaticRoute) Key() string { return r.Destination }
func (p *PrefixList) Key() string  { return p.Name }
func (n *BGPNeighbor) Key() string { return n.Address }

// Facts describes the device itself.
type Facts struct {
	Platform string `json:"platform"`
	Hostname string `json:"hostname"`
	Model    string `json:"model"`
	Version  string `json:"version"`
}

// Config is every object the provider understands on one device, keyed by Key().
type Config struct {
	IKEGateways  map[string]*IKEGateway
	Tunnels      map[string]*Tunnel
	SourceRoutes map[string]*SourceRoute
	StaticRoutes map[string]*StaticRoute
	PrefixLists  map[string]*PrefixList
	BGPNeighbors map[string]*BGPNeighbor
}

// NewConfig returns an empty configuration.
func NewConfig() *Config {
	return &Config{
		IKEGateways:  map[string]*IKEGateway{},
		Tunnels:      map[string]*Tunnel{},
		SourceRoutes: map[string]*SourceRoute{},
		StaticRoutes: map[string]*StaticRoute{},
		PrefixLists:  map[string]*PrefixList{},
		BGPNeighbors: map[string]*BGPNeighbor{},
	}
}

// Get returns the object of the given kind and key, or nil.
func (c *Config) Get(k Kind, key string) Object {
	switch k {
	case KindIKEGateway:
		if o, ok := c.IKEGateways[key]; ok {
			return o
		}
	case KindTunnel:
		if o, ok := c.Tunnels[key]; ok {
			return o
		}
	case KindSourceRoute:
		if o, ok := c.SourceRoutes[key]; ok {
			return o
		}
	case KindStaticRoute:
		if o, ok := c.StaticRoutes[key]; ok {
			return o
		}
	case KindPrefixList:
		if o, ok := c.PrefixLists[key]; ok {
			return o
		}
	case KindBGPNeighbor:
		if o, ok := c.BGPNeighbors[key]; ok {
			return o
		}
	}
	return nil
}

// Put adds or replaces an object.
func (c *Config) Put(o Object) {
	switch v := o.(type) {
	case *IKEGateway:
		c.IKEGateways[v.Key()] = v
	case *Tunnel:
		c.Tunnels[v.Key()] = v
	case *SourceRoute:
		c.SourceRoutes[v.Key()] = v
	case *StaticRoute:
		c.StaticRoutes[v.Key()] = v
	case *PrefixList:
		c.PrefixLists[v.Key()] = v
	case *BGPNeighbor:
		c.BGPNeighbors[v.Key()] = v
	default:
		panic(fmt.Sprintf("vpn: unknown object type %T", o))
	}
}

// Remove deletes an object; removing an absent object is not an error.
func (c *Config) Remove(k Kind, key string) {
	switch k {
	case KindIKEGateway:
		delete(c.IKEGateways, key)
	case KindTunnel:
		delete(c.Tunnels, key)
	case KindSourceRoute:
		delete(c.SourceRoutes, key)
	case KindStaticRoute:
		delete(c.StaticRoutes, key)
	case KindPrefixList:
		delete(c.PrefixLists, key)
	case KindBGPNeighbor:
		delete(c.BGPNeighbors, key)
	}
}

// Objects returns every object in dependency order (Kinds), sorted by key within a kind.
func (c *Config) Objects() []Object {
	var out []Object
	for _, k := range Kinds {
		out = append(out, c.OfKind(k)...)
	}
	return out
}

// OfKind returns the objects of one kind sorted by key.
func (c *Config) OfKind(k Kind) []Object {
	var out []Object
	add := func(keys []string, get func(string) Object) {
		sort.Strings(keys)
		for _, key := range keys {
			out = append(out, get(key))
		}
	}
	switch k {
	case KindIKEGateway:
		add(keysOf(c.IKEGateways), func(s string) Object { return c.IKEGateways[s] })
	case KindTunnel:
		add(keysOf(c.Tunnels), func(s string) Object { return c.Tunnels[s] })
	case KindSourceRoute:
		add(keysOf(c.SourceRoutes), func(s string) Object { return c.SourceRoutes[s] })
	case KindStaticRoute:
		add(keysOf(c.StaticRoutes), func(s string) Object { return c.StaticRoutes[s] })
	case KindPrefixList:
		add(keysOf(c.PrefixLists), func(s string) Object { return c.PrefixLists[s] })
	case KindBGPNeighbor:
		add(keysOf(c.BGPNeighbors), func(s string) Object { return c.BGPNeighbors[s] })
	}
	return out
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Clone returns a deep copy.
func (c *Config) Clone() *Config {
	n := NewConfig()
	for _, o := range c.Objects() {
		n.Put(CloneObject(o))
	}
	return n
}

// CloneObject returns a deep copy of one object.
func CloneObject(o Object) Object {
	switch v := o.(type) {
	case *IKEGateway:
		c := *v
		c.Proposals = append([]IKEProposal(nil), v.Proposals...)
		if v.DPD != nil {
			d := *v.DPD
			c.DPD = &d
		}
		return &c
	case *Tunnel:
		c := *v
		c.Proposals = append([]IPsecProposal(nil), v.Proposals...)
		c.Selectors = append([]TrafficSelector(nil), v.Selectors...)
		return &c
	case *SourceRoute:
		c := *v
		return &c
	case *StaticRoute:
		c := *v
		return &c
	case *PrefixList:
		c := *v
		c.Rules = append([]PrefixRule(nil), v.Rules...)
		return &c
	case *BGPNeighbor:
		c := *v
		c.Networks = append([]string(nil), v.Networks...)
		return &c
	}
	panic(fmt.Sprintf("vpn: unknown object type %T", o))
}

// Op is what a change does.
type Op string

const (
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
)

// Change is one object's create, update or delete, as the provider asks for it.
type Change struct {
	Op     Op
	Kind   Kind
	Key    string
	Object Object // the desired object; nil for OpDelete
}

// String names the change without any secret, for logs and errors.
func (c Change) String() string { return fmt.Sprintf("%s %s %q", c.Op, c.Kind, c.Key) }

// Apply returns a copy of cfg with the changes applied, checking that creates do not collide
// with existing objects and that updates find theirs. Deleting an absent object is a no-op.
func Apply(cfg *Config, changes ...Change) (*Config, error) {
	out := cfg.Clone()
	for _, ch := range changes {
		existing := out.Get(ch.Kind, ch.Key)
		switch ch.Op {
		case OpCreate:
			if existing != nil {
				return nil, &ConflictError{Change: ch}
			}
			out.Put(CloneObject(ch.Object))
		case OpUpdate:
			if existing == nil {
				return nil, &NotFoundError{Kind: ch.Kind, Key: ch.Key}
			}
			out.Put(CloneObject(ch.Object))
		case OpDelete:
			out.Remove(ch.Kind, ch.Key)
		default:
			return nil, fmt.Errorf("unknown operation %q", ch.Op)
		}
	}
	return out, nil
}

// ConflictError reports a create of an object that already exists on the device.
type ConflictError struct{ Change Change }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %q already exists on the device; import it or choose another name", e.Change.Kind, e.Change.Key)
}

// NotFoundError reports an object that is not on the device.
type NotFoundError struct {
	Kind Kind
	Key  string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%s %q does not exist on the device", e.Kind, e.Key)
}
