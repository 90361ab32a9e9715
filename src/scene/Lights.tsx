// Soft, even light: walls and markers read by their shading, floors are
// unlit (exact palette colours).
export function Lights() {
  return (
    <>
      <hemisphereLight args={['#dfe8f5', '#2a3240', 1.6]} />
      <directionalLight position={[-60, 120, 80]} intensity={1.4} />
    </>
  );
}
