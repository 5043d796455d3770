// XOR walkthrough (#xor): initial version, the basic lab on the 2-3-1 XOR network.
import {createBasicLab} from './basic-lab.js';

export default createBasicLab({id: 'xor', title: 'XOR walkthrough'});
