// The system OpenSSL 3 headers, as Swift sees them, plus prefixed wrappers for the macros and variadic
// functions the Clang importer cannot bring into Swift. Only the TestWorld target imports this module:
// FrontProxy itself never decrypts and never links a TLS library.
#ifndef COPENSSL_H
#define COPENSSL_H

// Hide APIs deprecated in 3.0 so nothing in Swift can reach for them. These must be defined in every header
// visible to Swift that includes OpenSSL.
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// `SSL_set_tlsext_host_name`: sets the SNI a client sends.
int COpenSSL_SSL_set_tlsext_host_name(SSL *ssl, const char *name);

/// `SSL_CTX_set_min_proto_version` / `SSL_CTX_set_max_proto_version`.
int COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
int COpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);

/// `SSL_CTX_add1_chain_cert`: adds an intermediate to the chain a server sends.
int COpenSSL_SSL_CTX_add1_chain_cert(SSL_CTX *ctx, X509 *cert);

/// `BIO_set_mem_eof_return`: what a memory BIO's read returns when empty (-1 means "retry", not EOF).
long COpenSSL_BIO_set_mem_eof_return(BIO *bio, long value);

/// `EVP_EC_gen` (variadic underneath): a fresh EC key on the named curve, e.g. "P-256".
EVP_PKEY *COpenSSL_EVP_EC_gen(const char *curve);

/// `EVP_RSA_gen` (variadic underneath): a fresh RSA key of `bits` bits.
EVP_PKEY *COpenSSL_EVP_RSA_gen(unsigned int bits);

/// `OPENSSL_free`: frees memory OpenSSL allocated for the caller.
void COpenSSL_OPENSSL_free(void *pointer);


#endif
