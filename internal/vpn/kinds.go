package vpn

import (
	"fmt"
	"sort"
)

// KindSpec is what the model knows about one kind of object. Each kind registers one with
// RegisterKind (this package does it for the six kinds in init), and the generic code (Config,
// CloneObject, the device layer's secret masking, the provider's import ids) works from the
// registry instead of switching on types: adding a kind is one registration.
type KindSpec struct {
	Kind Kind
	// JSONName names the collection of the kind in a Config marshalled to JSON, e.g. "IKEGateways".
	JSONName string
	// KeyAttrs are the attributes that make up the key, primary first; the others are
	// qualifiers that appear in the key only when set (see JoinKey).
	KeyAttrs []string
	// New returns a zero object of the kind.
	New func() Object
	// Clone returns a deep copy of an object of the kind.
	Clone func(Object) Object
	// Secrets returns the secret values an object holds (pre-shared keys, passwords), for
	// masking; empty values are left out.
	Secrets func(Object) []string
	// SecretFields returns the object's secrets by attribute name ("pre_shared_key"), as
	// pointers into the object, so that the device layer can decode a secret the device
	// prints in a reversible form in place. Nil when the kind holds no secret.
	SecretFields func(Object) map[string]*string

	newStore func() store
}

// store holds the objects of one kind, keyed by Key(). typedStore is its only implementation;
// the typed accessors of Config return the typed map itself.
type store interface {
	get(key string) (Object, bool)
	put(o Object)
	remove(key string)
	keys() []string
}

type typedStore[T Object] map[string]T

func (s typedStore[T]) get(key string) (Object, bool) {
	o, ok := s[key]
	if !ok {
		return nil, false
	}
	return o, true
}
func (s typedStore[T]) put(o Object)      { s[o.Key()] = o.(T) }
func (s typedStore[T]) remove(key string) { delete(s, key) }
func (s typedStore[T]) keys() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// KindDef is the typed form of a KindSpec, given to RegisterKind.
type KindDef[T Object] struct {
	JSONName string
	KeyAttrs []string
	New      func() T
	Clone    func(T) T
	// SecretFields returns the object's secret attributes by name (pointers into it); nil
	// when the kind holds no secret.
	SecretFields func(T) map[string]*string
}

var kindSpecs = map[Kind]*KindSpec{}

// RegisterKind adds a kind to the registry; kinds must be registered in dependency order (an
// object may refer only to kinds registered before its own), which is the order of Kinds.
// Registering a kind twice panics. It is meant for init functions.
func RegisterKind[T Object](k Kind, d KindDef[T]) {
	if _, dup := kindSpecs[k]; dup {
		panic("vpn: duplicate registration of kind " + string(k))
	}
	if d.New == nil || d.Clone == nil || len(d.KeyAttrs) == 0 {
		panic("vpn: kind " + string(k) + " needs New, Clone and KeyAttrs")
	}
	if got := d.New().Kind(); got != k {
		panic(fmt.Sprintf("vpn: kind %s registered with objects of kind %s", k, got))
	}
	spec := &KindSpec{
		Kind:     k,
		JSONName: d.JSONName,
		KeyAttrs: append([]string(nil), d.KeyAttrs...),
		New:      func() Object { return d.New() },
		Clone:    func(o Object) Object { return d.Clone(o.(T)) },
		Secrets: func(o Object) []string {
			if d.SecretFields == nil {
				return nil
			}
			fields := d.SecretFields(o.(T))
			names := make([]string, 0, len(fields))
			for n := range fields {
				names = append(names, n)
			}
			sort.Strings(names)
			var out []string
			for _, n := range names {
				if v := *fields[n]; v != "" {
					out = append(out, v)
				}
			}
			return out
		},
		SecretFields: func(o Object) map[string]*string {
			if d.SecretFields == nil {
				return nil
			}
			return d.SecretFields(o.(T))
		},
		newStore: func() store { return typedStore[T]{} },
	}
	kindSpecs[k] = spec
	Kinds = append(Kinds, k)
}

// SpecOf returns the registration of a kind.
func SpecOf(k Kind) (*KindSpec, bool) {
	s, ok := kindSpecs[k]
	return s, ok
}

func mustSpec(k Kind) *KindSpec {
	s, ok := kindSpecs[k]
	if !ok {
		panic("vpn: unknown kind " + string(k))
	}
	return s
}

// Secrets returns the secret values of o (empty ones left out), from its kind's registration.
func Secrets(o Object) []string {
	return mustSpec(o.Kind()).Secrets(o)
}

func init() {
	RegisterKind(KindIKEGateway, KindDef[*IKEGateway]{
		JSONName: "IKEGateways",
		KeyAttrs: []string{"name"},
		New:      func() *IKEGateway { return &IKEGateway{} },
		Clone: func(v *IKEGateway) *IKEGateway {
			c := *v
			c.Proposals = append([]IKEProposal(nil), v.Proposals...)
			if v.DPD != nil {
				d := *v.DPD
				c.DPD = &d
			}
			if v.Liveness != nil {
				l := *v.Liveness
				c.Liveness = &l
			}
			if v.NATTraversal != nil {
				n := *v.NATTraversal
				c.NATTraversal = &n
			}
			return &c
		},
		SecretFields: func(v *IKEGateway) map[string]*string { return map[string]*string{"pre_shared_key": &v.PreSharedKey} },
	})
	RegisterKind(KindPrefixList, KindDef[*PrefixList]{
		JSONName: "PrefixLists",
		KeyAttrs: []string{"name"},
		New:      func() *PrefixList { return &PrefixList{} },
		Clone: func(v *PrefixList) *PrefixList {
			c := *v
			c.Rules = append([]PrefixRule(nil), v.Rules...)
			return &c
		},
	})
	RegisterKind(KindTunnel, KindDef[*Tunnel]{
		JSONName: "Tunnels",
		KeyAttrs: []string{"name"},
		New:      func() *Tunnel { return &Tunnel{} },
		Clone: func(v *Tunnel) *Tunnel {
			c := *v
			c.Proposals = append([]IPsecProposal(nil), v.Proposals...)
			c.Selectors = append([]TrafficSelector(nil), v.Selectors...)
			if v.AntiReplay != nil {
				a := *v.AntiReplay
				c.AntiReplay = &a
			}
			if v.Monitor != nil {
				m := *v.Monitor
				c.Monitor = &m
			}
			return &c
		},
	})
	RegisterKind(KindStaticRoute, KindDef[*StaticRoute]{
		JSONName: "StaticRoutes",
		KeyAttrs: []string{"destination", "routing_instance"},
		New:      func() *StaticRoute { return &StaticRoute{} },
		Clone:    func(v *StaticRoute) *StaticRoute { c := *v; return &c },
	})
	RegisterKind(KindSourceRoute, KindDef[*SourceRoute]{
		JSONName: "SourceRoutes",
		KeyAttrs: []string{"source", "routing_instance"},
		New:      func() *SourceRoute { return &SourceRoute{} },
		Clone:    func(v *SourceRoute) *SourceRoute { c := *v; return &c },
	})
	RegisterKind(KindBGPNeighbor, KindDef[*BGPNeighbor]{
		JSONName: "BGPNeighbors",
		KeyAttrs: []string{"neighbor_address", "routing_instance"},
		New:      func() *BGPNeighbor { return &BGPNeighbor{} },
		Clone: func(v *BGPNeighbor) *BGPNeighbor {
			c := *v
			c.Networks = append([]string(nil), v.Networks...)
			return &c
		},
		SecretFields: func(v *BGPNeighbor) map[string]*string { return map[string]*string{"password": &v.Password} },
	})
	RegisterKind(KindSecurityPolicy, KindDef[*SecurityPolicy]{
		JSONName: "SecurityPolicies",
		KeyAttrs: []string{"name"},
		New:      func() *SecurityPolicy { return &SecurityPolicy{} },
		Clone: func(v *SecurityPolicy) *SecurityPolicy {
			c := *v
			c.Sources = append([]string(nil), v.Sources...)
			c.Destinations = append([]string(nil), v.Destinations...)
			c.Services = append([]string(nil), v.Services...)
			return &c
		},
	})
}
