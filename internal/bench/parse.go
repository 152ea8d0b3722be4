package bench

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// seed004Site is one site of seed 004 (EdgeRouter to Azure, BGP over a VTI) as the router lists
// it, with SITE, PEER, VTI and BGPPEER to fill in.
const seed004Site = `set interfaces vti VTI
set policy prefix-list SITE rule 10 action deny
set policy prefix-list SITE rule 10 description 'Deny Local Gateway Address'
set policy prefix-list SITE rule 10 prefix 203.0.113.1/32
set policy prefix-list SITE rule 20 action deny
set policy prefix-list SITE rule 20 description 'Deny Azure Gateway Address'
set policy prefix-list SITE rule 20 prefix PEER/32
set policy prefix-list SITE rule 100 action permit
set policy prefix-list SITE rule 100 description 'Local Subnets'
set policy prefix-list SITE rule 100 prefix 192.168.1.0/24
set policy prefix-list SITE rule 110 action permit
set policy prefix-list SITE rule 110 description 'Azure Subnets'
set policy prefix-list SITE rule 110 prefix 172.16.0.0/22
set protocols bgp 65510 neighbor BGPPEER ebgp-multihop 2
set protocols bgp 65510 neighbor BGPPEER prefix-list export SITE
set protocols bgp 65510 neighbor BGPPEER prefix-list import SITE
set protocols bgp 65510 neighbor BGPPEER remote-as 65515
set protocols bgp 65510 neighbor BGPPEER soft-reconfiguration inbound
set protocols bgp 65510 neighbor BGPPEER update-source 192.168.1.1
set protocols static interface-route BGPPEER/32 next-hop-interface VTI
set vpn ipsec esp-group SITE lifetime 27000
set vpn ipsec esp-group SITE pfs disable
set vpn ipsec esp-group SITE proposal 1 encryption aes256
set vpn ipsec esp-group SITE proposal 1 hash sha1
set vpn ipsec ike-group SITE key-exchange ikev2
set vpn ipsec ike-group SITE lifetime 28800
set vpn ipsec ike-group SITE proposal 1 dh-group 2
set vpn ipsec ike-group SITE proposal 1 encryption aes256
set vpn ipsec ike-group SITE proposal 1 hash sha1
set vpn ipsec site-to-site peer PEER authentication mode pre-shared-secret
set vpn ipsec site-to-site peer PEER authentication pre-shared-secret site-Secret-SITE
set vpn ipsec site-to-site peer PEER connection-type respond
set vpn ipsec site-to-site peer PEER description SITE
set vpn ipsec site-to-site peer PEER ike-group SITE
set vpn ipsec site-to-site peer PEER local-address 203.0.113.1
set vpn ipsec site-to-site peer PEER vti bind VTI
set vpn ipsec site-to-site peer PEER vti esp-group SITE
`

// EdgeOSConfig is an EdgeRouter configuration listing of at least `lines` lines: base and as
// many seed 004 sites as it takes. It returns the listing and the number of sites.
func EdgeOSConfig(base string, lines int) (string, int) {
	var b strings.Builder
	b.WriteString(base)
	b.WriteString("set protocols bgp 65510 timers holdtime 180\nset protocols bgp 65510 timers keepalive 60\n")
	n, per := strings.Count(b.String(), "\n"), strings.Count(seed004Site, "\n")
	sites := 0
	for ; n < lines; sites++ {
		b.WriteString(strings.NewReplacer(
			"SITE", fmt.Sprintf("SITE%d", sites),
			"BGPPEER", fmt.Sprintf("169.254.%d.%d", 21+sites/250, sites%250+1),
			"PEER", fmt.Sprintf("198.18.%d.%d", sites/250, sites%250+1),
			"VTI", fmt.Sprintf("vti%d", sites),
		).Replace(seed004Site))
		n += per
	}
	return b.String(), sites
}

// ParseFigure is what parsing one configuration took.
type ParseFigure struct {
	Lines     int
	Took      time.Duration
	Retained  uint64 // heap the parsed model keeps
	Allocated uint64 // bytes allocated while parsing (bounds the heap's growth)
	Objects   int
}

// Parse parses text with the named platform's dialect and measures it.
func Parse(platformName, text string) (ParseFigure, *vpn.Config, error) {
	p, ok := platform.Get(platformName)
	if !ok {
		return ParseFigure{}, nil, fmt.Errorf("no dialect %q", platformName)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	cfg, err := p.Parse(text)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&after)
	if err != nil {
		return ParseFigure{}, nil, err
	}
	f := ParseFigure{Lines: strings.Count(text, "\n"), Took: took, Allocated: allocated, Objects: cfg.Len()}
	if after.HeapAlloc > before.HeapAlloc {
		f.Retained = after.HeapAlloc - before.HeapAlloc
	}
	runtime.KeepAlive(cfg)
	return f, cfg, nil
}
