// The camera and microphone a party picked in the device check, kept for
// this tab (sessionStorage) so that the session page asks for the same ones.
// Nothing here leaves the browser.

const KEY = 'accord.devices';

/** The default: whatever the browser picks, with the camera. */
const NONE = Object.freeze({ audioDeviceId: null, videoDeviceId: null, video: true });

function idOrNull(value) {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `{ audioDeviceId, videoDeviceId, video }`: what was picked, or the defaults. */
export function loadDeviceChoice() {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(KEY) || 'null');
    if (!stored || typeof stored !== 'object') return { ...NONE };
    return {
      audioDeviceId: idOrNull(stored.audioDeviceId),
      videoDeviceId: idOrNull(stored.videoDeviceId),
      video: stored.video !== false,
    };
  } catch {
    return { ...NONE };
  }
}

/** Remembers the choice for this tab. */
export function saveDeviceChoice({ audioDeviceId = null, videoDeviceId = null, video = true } = {}) {
  const choice = { audioDeviceId: idOrNull(audioDeviceId), videoDeviceId: idOrNull(videoDeviceId), video: video !== false };
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(choice));
  } catch {
    // Storage may be disabled (private mode): the session page then uses the defaults.
  }
  return choice;
}
