// The signer's own key (ESL 13(1)-(2)): an ECDSA P-256 key pair made here with WebCrypto,
// its private half non-extractable, kept in this browser's IndexedDB. Nothing but the public
// half ever leaves the device; the server binds it to the signer once their identity is
// verified, and checks every signature against it.

const DB_NAME = 'accord-signing';
const STORE = 'keys';
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' };

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function inStore(db, mode, act) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = act(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Whether this browser can make and keep a key (a secure context with WebCrypto and IndexedDB). */
export function canSign() {
  return Boolean(globalThis.isSecureContext && globalThis.crypto && crypto.subtle && globalThis.indexedDB);
}

function base64url(buffer) {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The key of `signer` in `caseId`, made on first use. A key pair is per case and signer, so
 * that one person's key never signs for another (two people may share a device).
 */
export async function signingKey(caseId, signer) {
  const db = await openDb();
  const name = `${caseId}/${signer}`;
  try {
    let pair = await inStore(db, 'readonly', (store) => store.get(name));
    if (!pair) {
      pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
      await inStore(db, 'readwrite', (store) => store.put(pair, name));
    }
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return {
      publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      /** Signs exactly the UTF-8 bytes of `text`; the IEEE P1363 signature, base64url. */
      async sign(text) {
        const bytes = new TextEncoder().encode(text);
        const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, bytes);
        return base64url(signature);
      },
    };
  } finally {
    db.close();
  }
}

/** Hex SHA-256 of the UTF-8 bytes of `text`, to show the signer the hash of what they sign. */
export async function sha256Hex(text) {
  return sha256HexOfBytes(new TextEncoder().encode(text));
}

/** Hex SHA-256 of bytes (e.g. a file's `arrayBuffer()`), computed here. */
export async function sha256HexOfBytes(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
