// Package vpn is the platform-neutral model of the objects the provider manages on a device:
// IKE gateways (phase 1), VPN tunnels (phase 2), source routes, static routes, prefix lists and
// BGP neighbors. The provider converts Terraform values into these types, the platform dialects
// render them to CLI and parse device configuration back into them. Nothing here knows about
// Terraform, SSH or any vendor syntax.
//
// Kinds are registered (kinds.go): each registers its constructor, deep clone, secrets and key
// attributes, and Config, CloneObject and the device layer's masking work from the registry.
// A key is the object's primary identity optionally qualified by further attributes
// (keys.go); numbers a device gives objects are allocated by a pure function (numbers.go).
// Attributes only some platforms can express are optional and zero by default; a platform
// refuses at plan what it cannot express.
package vpn

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	// KindSecurityPolicy is a zone-to-zone firewall policy (ScreenOS `set policy`).
	KindSecurityPolicy Kind = "security_policy"
)

// Kinds lists every registered kind in dependency order: an object may refer only to kinds
// before it (a tunnel to a gateway, a BGP neighbor to prefix lists). RegisterKind appends to it.
var Kinds []Kind

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

// Liveness is the platform-neutral form of dead-peer detection: a probe every Interval
// seconds, the peer declared dead after RetryCount probes without an answer. RTX heartbeat or
// dpd, Junos `dead-peer-detection interval/threshold` and ScreenOS `dpd interval/retry` map
// to it; strongSwan-based platforms (EdgeOS) use DPD instead.
type Liveness struct {
	Interval   int `json:"interval"`    // seconds, 1..3600
	RetryCount int `json:"retry_count"` // probes, 1..100
}

// IKE modes of IKEv1 phase 1.
const (
	IKEModeMain       = "main"
	IKEModeAggressive = "aggressive"
)

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
	Liveness       *Liveness     `json:"liveness,omitempty"`      // neutral DPD; exclusive with DPD
	Mode           string        `json:"ike_mode,omitempty"`      // main, aggressive (IKEv1); "" = device default (main)
	NATTraversal   *bool         `json:"nat_traversal,omitempty"` // nil = device default
	LocalID        string        `json:"local_id,omitempty"`
	RemoteID       string        `json:"remote_id,omitempty"`
	ConnectionType string        `json:"connection_type,omitempty"` // initiate, respond; "" = device default
	Description    string        `json:"description,omitempty"`
	// Number is the device's number for the gateway where it identifies gateways by number
	// (RTX `ipsec ike ... N`, the security gateway id); 0 = allocated or not used.
	Number int `json:"gateway_number,omitempty"`
}

// IPsecProposal is one phase-2 proposal.
type IPsecProposal struct {
	Encryption string `json:"encryption"`
	Integrity  string `json:"integrity"`
}

// TrafficSelector is one proxy-id pair of a policy-based tunnel.
type TrafficSelector struct {
	Local      string `json:"local"`                 // CIDR
	Remote     string `json:"remote"`                // CIDR
	Protocol   string `json:"protocol,omitempty"`    // tcp, udp, icmp or a number 0..255; "" = any
	LocalPort  int    `json:"local_port,omitempty"`  // 0 = any; tcp and udp only
	RemotePort int    `json:"remote_port,omitempty"` // 0 = any; tcp and udp only
}

// TunnelMonitor checks a tunnel by sending probes through it (ScreenOS vpn-monitor, Junos
// vpn-monitor, RTX ipsec tunnel keepalive).
type TunnelMonitor struct {
	Destination string `json:"destination,omitempty"` // IPv4 to probe; "" = the peer
	Interval    int    `json:"interval,omitempty"`    // seconds, 0 = device default
	Threshold   int    `json:"threshold,omitempty"`   // lost probes before down, 0 = device default
}

// Values of Tunnel.DFBit.
const (
	DFBitClear = "clear"
	DFBitSet   = "set"
	DFBitCopy  = "copy"
)

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
	// Number is the device's number for the tunnel where it has one (RTX `tunnel select N`);
	// 0 = let the provider choose the lowest free one (see AllocateNumber).
	Number int `json:"tunnel_number,omitempty"`
	// Zone is the security zone of the tunnel interface (ScreenOS tunnel.N, SRX st0.N).
	Zone string `json:"tunnel_zone,omitempty"`
	// UnnumberedInterface borrows the address of another interface for the tunnel interface
	// (ScreenOS `ip unnumbered interface X`, SRX st0 without an address).
	UnnumberedInterface  string         `json:"unnumbered_interface,omitempty"`
	AntiReplay           *bool          `json:"anti_replay,omitempty"` // nil = device default
	DFBit                string         `json:"df_bit,omitempty"`      // clear, set, copy; "" = device default
	EstablishImmediately bool           `json:"establish_immediately,omitempty"`
	Monitor              *TunnelMonitor `json:"monitor,omitempty"`
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
	Rule             int    `json:"rule,omitempty"`       // EdgeOS firewall modify rule number; RTX ip filter number
	Ruleset          string `json:"ruleset,omitempty"`    // EdgeOS firewall modify ruleset
	IngressInterface string `json:"ingress_interface,omitempty"`
	Description      string `json:"description,omitempty"`
	RoutingInstance  string `json:"routing_instance,omitempty"` // key qualifier; "" = the default instance
}

// StaticRoute is a destination route into a tunnel interface or to a next hop.
type StaticRoute struct {
	Destination string `json:"destination"` // CIDR; the key
	Interface   string `json:"tunnel_interface,omitempty"`
	NextHop     string `json:"next_hop,omitempty"`
	Distance    int    `json:"distance,omitempty"` // 0 = device default
	// RoutingInstance is the virtual router or routing instance (ScreenOS trust-vr, a Junos
	// routing-instance); a key qualifier; "" = the default instance.
	RoutingInstance string `json:"routing_instance,omitempty"`
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
	// Number is the device's number for the list where lists are numbered (ScreenOS
	// access-list ids); 0 = the provider chooses the lowest free one (see AllocateNumber).
	Number int `json:"number,omitempty"`
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
	// RoutingInstance is the instance whose BGP process has the neighbor; a key qualifier.
	RoutingInstance string `json:"routing_instance,omitempty"`
	// RouterID is the router id of the neighbor's BGP process: a process-level setting, kept
	// on the neighbor like Networks. Every neighbor of one process that sets it must agree.
	RouterID string `json:"router_id,omitempty"`
	// Number is the device's number for the neighbor where it numbers neighbors (RTX `bgp
	// neighbor N ...`); 0 = allocated or not used.
	Number int `json:"neighbor_number,omitempty"`
}

// PolicyActions are the actions of a security policy.
var PolicyActions = []string{"permit", "deny", "reject", "tunnel"}

// SecurityPolicy is a firewall policy from one zone to another: traffic from Sources to
// Destinations using Services is permitted, denied, rejected or sent into a policy-based VPN
// (Action "tunnel", with Tunnel naming the vpn_tunnel). ScreenOS `set policy id N name ...
// from Z1 to Z2 SRC DST SVC ACTION [log]`; Junos SRX `security policies from-zone Z1 to-zone
// Z2 policy NAME` could carry it later. Policies of one zone pair are evaluated top down, so
// Position says where a new policy goes; it is kept while the policy stays there.
type SecurityPolicy struct {
	Name     string `json:"name"` // the key
	FromZone string `json:"from_zone"`
	ToZone   string `json:"to_zone"`
	// Sources and Destinations are CIDRs (the dialect creates and removes the address-book
	// entries they need) or "any"; empty means any.
	Sources      []string `json:"source_addresses,omitempty"`
	Destinations []string `json:"destination_addresses,omitempty"`
	// Services are predefined service names ("ANY", "HTTP", "ICMP-ANY", ...); empty means ANY.
	Services []string `json:"services,omitempty"`
	Action   string   `json:"action"`
	Tunnel   string   `json:"tunnel,omitempty"` // the vpn_tunnel of action "tunnel"
	Log      bool     `json:"log,omitempty"`
	// Position is where the policy is placed among the policies of its zone pair when
	// created, and where it must stay: "" or "bottom" (after the others), "top", "before:N"
	// or "after:N" (N a policy id on the device). A policy that no longer stands where its
	// position says is drift, and the update moves it.
	Position string `json:"position,omitempty"`
	// Number is the device's policy id; 0 = allocated.
	Number      int    `json:"policy_id,omitempty"`
	Description string `json:"description,omitempty"`
}

func (*IKEGateway) Kind() Kind     { return KindIKEGateway }
func (*Tunnel) Kind() Kind         { return KindTunnel }
func (*SourceRoute) Kind() Kind    { return KindSourceRoute }
func (*StaticRoute) Kind() Kind    { return KindStaticRoute }
func (*PrefixList) Kind() Kind     { return KindPrefixList }
func (*BGPNeighbor) Kind() Kind    { return KindBGPNeighbor }
func (*SecurityPolicy) Kind() Kind { return KindSecurityPolicy }

func (g *IKEGateway) Key() string { return g.Name }
func (t *Tunnel) Key() string     { return t.Name }
func (r *SourceRoute) Key() string {
	return KeyOf(KindSourceRoute, r.Source, r.RoutingInstance)
}
func (r *StaticRoute) Key() string {
	return KeyOf(KindStaticRoute, r.Destination, r.RoutingInstance)
}
func (p *PrefixList) Key() string     { return p.Name }
func (p *SecurityPolicy) Key() string { return p.Name }
func (n *BGPNeighbor) Key() string {
	return KeyOf(KindBGPNeighbor, n.Address, n.RoutingInstance)
}

// Facts describes the device itself.
type Facts struct {
	Platform string `json:"platform"`
	Hostname string `json:"hostname"`
	Model    string `json:"model"`
	Version  string `json:"version"`
}

// Config is every object the provider understands on one device: for each registered kind,
// its objects keyed by Key(). The typed accessors (IKEGateways, Tunnels, ...) return the live
// map of their kind, so code that knows the kind reads and edits it directly.
type Config struct {
	stores map[Kind]store
}

// NewConfig returns an empty configuration.
func NewConfig() *Config {
	c := &Config{stores: make(map[Kind]store, len(Kinds))}
	for _, k := range Kinds {
		c.stores[k] = mustSpec(k).newStore()
	}
	return c
}

func typed[T Object](c *Config, k Kind) typedStore[T] { return c.stores[k].(typedStore[T]) }

// IKEGateways returns the live map of IKE gateways.
func (c *Config) IKEGateways() map[string]*IKEGateway {
	return typed[*IKEGateway](c, KindIKEGateway)
}

// Tunnels returns the live map of VPN tunnels.
func (c *Config) Tunnels() map[string]*Tunnel { return typed[*Tunnel](c, KindTunnel) }

// SourceRoutes returns the live map of source routes.
func (c *Config) SourceRoutes() map[string]*SourceRoute {
	return typed[*SourceRoute](c, KindSourceRoute)
}

// StaticRoutes returns the live map of static routes.
func (c *Config) StaticRoutes() map[string]*StaticRoute {
	return typed[*StaticRoute](c, KindStaticRoute)
}

// PrefixLists returns the live map of prefix lists.
func (c *Config) PrefixLists() map[string]*PrefixList {
	return typed[*PrefixList](c, KindPrefixList)
}

// BGPNeighbors returns the live map of BGP neighbors.
func (c *Config) BGPNeighbors() map[string]*BGPNeighbor {
	return typed[*BGPNeighbor](c, KindBGPNeighbor)
}

// Len returns the number of objects of every kind.
// SecurityPolicies returns the security policies by name (the live map).
func (c *Config) SecurityPolicies() map[string]*SecurityPolicy {
	return typed[*SecurityPolicy](c, KindSecurityPolicy)
}

func (c *Config) Len() int {
	n := 0
	for _, s := range c.stores {
		n += len(s.keys())
	}
	return n
}

// Get returns the object of the given kind and key, or nil.
func (c *Config) Get(k Kind, key string) Object {
	if s, ok := c.stores[k]; ok {
		if o, ok := s.get(key); ok {
			return o
		}
	}
	return nil
}

// Put adds or replaces an object. An object of an unregistered kind panics.
func (c *Config) Put(o Object) {
	s, ok := c.stores[o.Kind()]
	if !ok {
		panic(fmt.Sprintf("vpn: unknown object type %T", o))
	}
	s.put(o)
}

// Remove deletes an object; removing an absent object is not an error.
func (c *Config) Remove(k Kind, key string) {
	if s, ok := c.stores[k]; ok {
		s.remove(key)
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
	s, ok := c.stores[k]
	if !ok {
		return nil
	}
	var out []Object
	for _, key := range s.keys() {
		o, _ := s.get(key)
		out = append(out, o)
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

// ShallowClone returns a new configuration holding the same objects: adding, replacing or
// removing objects in it leaves c as it is, but the objects themselves are shared and must not
// be modified through either.
func (c *Config) ShallowClone() *Config {
	n := NewConfig()
	for k, s := range c.stores {
		for _, key := range s.keys() {
			o, _ := s.get(key)
			n.stores[k].put(o)
		}
	}
	return n
}

// CloneObject returns a deep copy of one object, by its kind's registered Clone.
func CloneObject(o Object) Object {
	return mustSpec(o.Kind()).Clone(o)
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
	// NumberChosen marks a create whose device number (vpn.Numbered) the provider chose
	// from a read of the device, the user having left it out: when another session has
	// taken that number since the read, the device layer gives the object another free one
	// (which the read-back reports). A number the user gave is never changed.
	NumberChosen bool
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

// MarshalJSON writes the configuration as one object per kind, in Kinds order, each named by
// its kind's JSONName and holding the objects by key (secrets are never marshalled).
func (c *Config) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range Kinds {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(mustSpec(k).JSONName)
		b.Write(name)
		b.WriteByte(':')
		objs := map[string]Object{}
		for _, o := range c.OfKind(k) {
			objs[o.Key()] = o
		}
		v, err := json.Marshal(objs)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
