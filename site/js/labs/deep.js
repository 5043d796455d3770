// Deep network (#deep): initial version, the basic lab on the 3-4-3-2-2 network.
import {createBasicLab} from './basic-lab.js';

export default createBasicLab({id: 'deep', title: 'Deep network'});
