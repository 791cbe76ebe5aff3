#ifndef CCrypto_SHIM_H
#define CCrypto_SHIM_H
/* OpenSSL's libcrypto (Debian's libssl-dev): only the EVP digest interface is used, for SHA-256. */
#include <openssl/evp.h>
#endif
