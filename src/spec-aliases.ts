import { OPERATIONS, REQUEST_FACTS } from "../generated/spec-values";

const imageToVideo = REQUEST_FACTS.createVideoGeneration;

/** The image-to-video page's example model, filled in when `generateVideo` gets none. */
export const DEFAULT_MODEL = OPERATIONS.createVideoGeneration.defaultModel;
/** Allowed values of each enumerated image-to-video request field, in spec order (`REQUEST_FACTS` has every operation's). */
export const REQUEST_ENUMS = imageToVideo.enums;
/** Values the server applies when an image-to-video request field is omitted. */
export const REQUEST_DEFAULTS = imageToVideo.defaults;
/** Image-to-video request fields the spec requires. */
export const REQUIRED_REQUEST_FIELDS = imageToVideo.required;
