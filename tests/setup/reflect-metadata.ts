// inversify reads decorator metadata through the reflect-metadata polyfill, which Theia's
// generated entry points load first; tests load it the same way.
import 'reflect-metadata';
