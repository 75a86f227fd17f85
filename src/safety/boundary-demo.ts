// throwaway: an upward import (safety/ -> supervisor/), to show the lint refuses it
import { runSession } from '../supervisor/supervisor.js';

export const demo = runSession;
