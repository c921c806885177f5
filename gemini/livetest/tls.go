package livetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"
)

// NewTLSServer starts a server like NewServer that serves TLS, with a
// self-signed certificate made for it, valid for 127.0.0.1, ::1 and
// localhost. Its URL is wss://127.0.0.1:PORT, and HTTPURL returns
// https://127.0.0.1:PORT. It is for clients that insist on TLS: the
// Python google-genai client dials wss:// whenever an API key is set, and
// the Node @google/genai client turns ws:// into wss://.
//
// A client trusts the server through Client (an *http.Client for
// gemini.Config.HTTPClient), CertPool (for a tls.Config) or
// CertificatePEM (a file for NODE_EXTRA_CA_CERTS or SSL_CERT_FILE). The
// package documentation shows each client.
func NewTLSServer(opts ...Option) *Server {
	id, err := newTLSIdentity()
	if err != nil {
		panic(fmt.Sprintf("livetest: making a TLS certificate: %v", err))
	}
	return start(id, opts)
}

// HTTPURL returns the server's base URL with an http scheme, or https for
// a server made by NewTLSServer: http://127.0.0.1:PORT. Some clients take
// their base URL in that form and change the scheme themselves.
func (s *Server) HTTPURL() string {
	if rest, ok := strings.CutPrefix(s.URL, "wss://"); ok {
		return "https://" + rest
	}
	return "http://" + strings.TrimPrefix(s.URL, "ws://")
}

// Certificate returns the server's certificate, or nil for a server
// without TLS.
func (s *Server) Certificate() *x509.Certificate {
	if s.tls == nil {
		return nil
	}
	return s.tls.cert
}

// CertificatePEM returns the server's certificate PEM-encoded, as
// NODE_EXTRA_CA_CERTS and SSL_CERT_FILE want it in a file, or nil for a
// server without TLS.
func (s *Server) CertificatePEM() []byte {
	if s.tls == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.tls.cert.Raw})
}

// CertPool returns a pool holding only the server's certificate, for the
// RootCAs of a client's tls.Config, or nil for a server without TLS.
func (s *Server) CertPool() *x509.CertPool {
	if s.tls == nil {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.tls.cert)
	return pool
}

// Client returns an HTTP client for the server, like
// httptest.Server.Client: for a server made by NewTLSServer it trusts the
// server's certificate (and only it). Give it to gemini.Config.HTTPClient.
// Each call returns a new client.
func (s *Server) Client() *http.Client {
	if s.tls == nil {
		return &http.Client{}
	}
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: s.CertPool(), MinVersion: tls.VersionTLS12},
	}}
}

// tlsIdentity is a server's self-signed certificate and its key.
type tlsIdentity struct {
	cert *x509.Certificate
	pair tls.Certificate
}

func (id *tlsIdentity) serverConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{id.pair},
		MinVersion:   tls.VersionTLS12,
		// HTTP/1.1 only: the WebSocket handshake is an HTTP/1.1 upgrade.
		NextProtos: []string{"http/1.1"},
	}
}

// newTLSIdentity makes a self-signed ECDSA P-256 certificate for the
// loopback addresses, valid from an hour ago for a day.
func newTLSIdentity() (*tlsIdentity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"livetest"}, CommonName: "livetest"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // self-signed: clients add it as a root
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tlsIdentity{cert: cert, pair: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, nil
}
